package dev.resolute.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.DeterministicIds;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.protocol.id.PrefixedId;
import dev.resolute.protocol.id.RandomSeed;
import dev.resolute.protocol.pb.*;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte sequences recorded from the real restate-server 1.7.12 and SDKs (PROTOCOL.md). */
class GoldenVectorsTest {
  static final HexFormat HEX = HexFormat.of();

  static final String COUNTER_ADD_REQUEST =
      "0000000000000054"
          + "0a18548ae3cba54055b301a200768c4480b64a90cb1ad632c946"
          + "1226696e765f31666f41697259344b4b7a6932397a707475656b3956576f447a7165317570434e6a"
          + "1801"
          + "32026b31"
          + "4001"
          + "4891c2dff49f9587835f"
          + "0400000000000005"
          + "72030a0135";
  static final String COUNTER_ADD_RESPONSE =
      "0407000000000009"
          + "0a05636f756e74"
          + "6a00"
          + "040300000000000c"
          + "0a05636f756e74"
          + "1a030a0135"
          + "0401000000000005"
          + "72030a0135"
          + "0003000000000000";

  @Test
  void decodesCapturedStartAndInput() throws Exception {
    List<Frame> frames = FrameCodec.decodeAll(HEX.parseHex(COUNTER_ADD_REQUEST));
    assertThat(frames).hasSize(2);
    StartMessage start = (StartMessage) frames.get(0).message();
    assertThat(start.getDebugId()).isEqualTo("inv_1foAirY4KKzi29zptuek9VWoDzqe1upCNj");
    assertThat(start.getKnownEntries()).isEqualTo(1);
    assertThat(start.getKey()).isEqualTo("k1");
    InvocationId id = InvocationId.fromBytes(start.getId().toByteArray());
    assertThat(id.toString()).isEqualTo(start.getDebugId());
    assertThat(RandomSeed.of(id)).isEqualTo(start.getRandomSeed());
    InputCommandMessage input = (InputCommandMessage) frames.get(1).message();
    assertThat(input.getValue().getContent().toStringUtf8()).isEqualTo("5");
  }

  @Test
  void reEncodesCapturedFramesByteForByte() throws Exception {
    for (String body : List.of(COUNTER_ADD_REQUEST, COUNTER_ADD_RESPONSE)) {
      byte[] bytes = HEX.parseHex(body);
      StringBuilder out = new StringBuilder();
      for (Frame f : FrameCodec.decodeAll(bytes)) {
        out.append(HEX.formatHex(FrameCodec.encode(f.type(), f.flags(), f.message())));
      }
      assertThat(out.toString()).isEqualTo(body);
    }
  }

  @Test
  void decodesCapturedResponse() throws Exception {
    List<Frame> frames = FrameCodec.decodeAll(HEX.parseHex(COUNTER_ADD_RESPONSE));
    assertThat(frames)
        .extracting(Frame::type)
        .containsExactly(
            MessageType.GET_EAGER_STATE_COMMAND, MessageType.SET_STATE_COMMAND,
            MessageType.OUTPUT_COMMAND, MessageType.END);
    GetEagerStateCommandMessage get = (GetEagerStateCommandMessage) frames.get(0).message();
    assertThat(get.getKey().toStringUtf8()).isEqualTo("count");
    assertThat(get.getResultCase()).isEqualTo(GetEagerStateCommandMessage.ResultCase.VOID);
  }

  @Test
  void encodesSuspensionAsCaptured() {
    SuspensionMessage s =
        SuspensionMessage.newBuilder().addWaitingCompletions(1).addWaitingSignals(1).build();
    assertThat(HEX.formatHex(FrameCodec.encode(s)))
        .isEqualTo("0001000000000006" + "0a0101" + "120101");
    assertThat(HEX.formatHex(FrameCodec.encode(EndMessage.getDefaultInstance())))
        .isEqualTo("0003000000000000");
  }

  @Test
  void proposeRunCompletionCarriesRawBytesWhileNotificationWraps() throws Exception {
    ProposeRunCompletionMessage p =
        ProposeRunCompletionMessage.newBuilder()
            .setResultCompletionId(1)
            .setValue(com.google.protobuf.ByteString.copyFromUtf8("x"))
            .build();
    assertThat(HEX.formatHex(p.toByteArray())).isEqualTo("0801" + "720178");
    NotificationTemplate n =
        NotificationTemplate.newBuilder()
            .setCompletionId(1)
            .setValue(
                Value.newBuilder().setContent(com.google.protobuf.ByteString.copyFromUtf8("x")))
            .build();
    assertThat(HEX.formatHex(n.toByteArray())).isEqualTo("0801" + "2a030a0178");
  }

  @Test
  void partitionKeyOfObjectKey() {
    assertThat(Long.toHexString(PartitionKeys.keyed("k1"))).isEqualTo("548ae3cba54055b3");
  }

  @Test
  void workflowRunUuid() {
    InvocationId id = DeterministicIds.workflowRun("Wf", "w1");
    assertThat(HEX.formatHex(id.uuid())).isEqualTo("fc1b0e11991cc94920918243914fad60");
    assertThat(id.partitionKey()).isEqualTo(PartitionKeys.keyed("w1"));
  }

  @Test
  void invocationIdRoundTrip() {
    InvocationId id = InvocationId.parse("inv_1foAirY4KKzi29zptuek9VWoDzqe1upCNj");
    assertThat(HEX.formatHex(id.toBytes()))
        .isEqualTo("548ae3cba54055b301a200768c4480b64a90cb1ad632c946");
    assertThatThrownBy(() -> InvocationId.parse("inv_2foAirY4KKzi29zptuek9VWoDzqe1upCNj"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InvocationId.parse("inv_1foAirY4KK"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InvocationId.parse("inv_1foAirY4KKzi29zptuek9VWoDzqe1upC-j"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void awakeableIdAcceptsPaddedAndUnpadded() {
    InvocationId inv = InvocationId.parse("inv_1foAirY4KKzi29zptuek9VWoDzqe1upCNj");
    AwakeableId a = AwakeableId.signal(inv, 17);
    String s = a.toString();
    assertThat(s).startsWith("sign_1").endsWith("AAAAEQ");
    assertThat(AwakeableId.parse(s)).isEqualTo(a);
    assertThat(AwakeableId.parse(s + "==")).isEqualTo(a);
    assertThatThrownBy(() -> AwakeableId.parse("sign_1abc"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deploymentIdRoundTrip() {
    byte[] uuid = HEX.parseHex("0190a1b2c3d4e5f60718293a4b5c6d7e");
    String id = PrefixedId.format("dp", uuid);
    assertThat(id).startsWith("dp_1").hasSize(26);
    assertThat(PrefixedId.parse("dp", id)).isEqualTo(uuid);
  }

  @Test
  void splitFramesAreBuffered() throws Exception {
    byte[] body = HEX.parseHex(COUNTER_ADD_RESPONSE);
    FrameDecoder d = new FrameDecoder(1 << 20);
    List<Frame> out = new java.util.ArrayList<>();
    for (byte b : body) {
      d.feed(new byte[] {b}, 0, 1, out::add);
    }
    assertThat(out).hasSize(4);
    assertThat(d.hasPartialFrame()).isFalse();
  }
}
