package dev.resolute.sdk.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.Frame;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.ProtocolException;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.ErrorMessage;
import dev.resolute.protocol.pb.Failure;
import dev.resolute.protocol.pb.InputCommandMessage;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.StartMessage;
import dev.resolute.protocol.pb.SuspensionMessage;
import dev.resolute.protocol.pb.Value;
import java.util.ArrayList;
import java.util.List;

/** Frame builders for protocol cases (the same ones a server-side test would use). */
final class Frames {
  static final String INVOCATION_ID = "inv_1foAirY4KKzi29zptuek9VWoDzqe1upCNj";
  static final byte[] RAW_ID = InvocationId.parse(INVOCATION_ID).toBytes();

  private Frames() {}

  static StartMessage.Builder start(int knownEntries) {
    return StartMessage.newBuilder()
        .setId(ByteString.copyFrom(RAW_ID))
        .setDebugId(INVOCATION_ID)
        .setKnownEntries(knownEntries)
        .setRandomSeed(42);
  }

  static Frame f(MessageLite m) {
    return Frame.of(m);
  }

  static Frame f(MessageLite.Builder b) {
    return Frame.of(b.build());
  }

  static Frame input(String json) {
    return f(InputCommandMessage.newBuilder().setValue(value(json)));
  }

  static Value value(String s) {
    return Value.newBuilder().setContent(ByteString.copyFromUtf8(s)).build();
  }

  static Frame outputValue(String json) {
    return f(OutputCommandMessage.newBuilder().setValue(value(json)));
  }

  static Frame outputFailure(int code, String message) {
    return f(
        OutputCommandMessage.newBuilder()
            .setFailure(Failure.newBuilder().setCode(code).setMessage(message)));
  }

  static Frame end() {
    return Frame.of(dev.resolute.protocol.pb.EndMessage.getDefaultInstance());
  }

  static Frame suspension(List<Integer> completions, List<Integer> signals) {
    return f(
        SuspensionMessage.newBuilder()
            .addAllWaitingCompletions(completions)
            .addAllWaitingSignals(signals));
  }

  static Frame notification(MessageType type, NotificationTemplate.Builder n) {
    return Frame.of(type, n.build());
  }

  static NotificationTemplate.Builder completion(int id) {
    return NotificationTemplate.newBuilder().setCompletionId(id);
  }

  static Frame error(ErrorMessage.Builder e) {
    return f(e);
  }

  /** Frames compared as (type, message), ErrorMessage without stacktrace and message. */
  static List<String> normalize(List<Frame> frames) {
    List<String> out = new ArrayList<>();
    for (Frame fr : frames) {
      try {
        MessageLite m = fr.message();
        if (m instanceof ErrorMessage e) {
          m = e.toBuilder().clearStacktrace().clearMessage().build();
        }
        out.add(fr.type() + " " + m.toString().replace('\n', ' ').trim());
      } catch (ProtocolException e) {
        out.add("undecodable " + fr.code());
      }
    }
    return out;
  }
}
