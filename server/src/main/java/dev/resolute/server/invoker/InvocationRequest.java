package dev.resolute.server.invoker;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.Frame;
import dev.resolute.protocol.FrameCodec;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.ProtocolVersion;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.RandomSeed;
import dev.resolute.protocol.pb.StartMessage;
import dev.resolute.server.partition.Effect;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Target;
import dev.resolute.server.schema.DeploymentSchema;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request of one attempt, as pure functions of the attempt's plan: the negotiated protocol
 * version, the HTTP headers, and the body that opens the stream (Start and the journal replay).
 */
final class InvocationRequest {
  /** restate-server's eager state size limit (32 MiB): larger state is sent as partial. */
  static final long EAGER_STATE_LIMIT_BYTES = 32L * 1024 * 1024;

  private InvocationRequest() {}

  /**
   * The protocol version of the attempt: the one the invocation started with (a journal is never
   * replayed in another version), else the highest both sides speak; 0 when there is none.
   */
  static int protocolVersion(InvocationStatus status, DeploymentSchema dep) {
    int v =
        status.getProtocolVersion() != 0
            ? status.getProtocolVersion()
            : Math.min(dep.maxProtocolVersion(), ProtocolVersion.MAX_SUPPORTED);
    return v < Math.max(dep.minProtocolVersion(), ProtocolVersion.MIN_SUPPORTED) ? 0 : v;
  }

  /** Headers of the invocation request, before request-identity signing. */
  static List<Map.Entry<String, String>> headers(
      int protocolVersion,
      InvocationId id,
      Target target,
      String clusterName,
      Map<String, String> additionalHeaders) {
    String ct = ProtocolVersion.invocationContentType(protocolVersion);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("content-type", ct));
    headers.add(Map.entry("accept", ct));
    headers.add(Map.entry("x-restate-invocation-id", id.toString()));
    if (target.getKeyed()) {
      headers.add(
          Map.entry(
              "x-restate-service-key",
              URLEncoder.encode(target.getKey(), StandardCharsets.UTF_8).replace("+", "%20")));
    }
    headers.add(Map.entry("x-restate-cluster-name", clusterName));
    additionalHeaders.forEach((k, v) -> headers.add(Map.entry(k.toLowerCase(Locale.ROOT), v)));
    return headers;
  }

  /**
   * Start followed by every stored journal entry. State goes eagerly up to {@link
   * #EAGER_STATE_LIMIT_BYTES}; beyond it, or for lazy handlers, the SDK reads it lazily.
   *
   * @param nowMillis the log's clock, for {@code duration_since_last_stored_entry}
   */
  static byte[] startAndReplay(Effect.StartAttempt plan, boolean lazyState, long nowMillis) {
    InvocationStatus status = plan.status();
    Target target = status.getTarget();
    StartMessage.Builder start =
        StartMessage.newBuilder()
            .setId(ByteString.copyFrom(plan.id().toBytes()))
            .setDebugId(plan.id().toString())
            .setKnownEntries(plan.journal().size())
            .setKey(target.getKey())
            .setRetryCountSinceLastStoredEntry(status.getRetryCount())
            .setDurationSinceLastStoredEntry(Math.max(0, nowMillis - status.getLastEntryAt()))
            .setRandomSeed(RandomSeed.of(plan.id()));
    if (plan.partialState() || lazyState) {
      start.setPartialState(true);
    } else {
      long size = 0;
      for (byte[][] e : plan.state()) {
        size += e[0].length + e[1].length;
        if (size > EAGER_STATE_LIMIT_BYTES) {
          start.setPartialState(true);
          break;
        }
        start.addStateMap(
            StartMessage.StateEntry.newBuilder()
                .setKey(ByteString.copyFrom(e[0]))
                .setValue(ByteString.copyFrom(e[1])));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(FrameCodec.encode(MessageType.START, start.build()));
    for (JournalEntry e : plan.journal()) {
      out.writeBytes(FrameCodec.encode(new Frame(e.getType(), 0, e.getPayload().toByteArray())));
    }
    return out.toByteArray();
  }
}
