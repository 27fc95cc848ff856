package dev.resolute.server.invoker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.Frame;
import dev.resolute.protocol.FrameDecoder;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.RandomSeed;
import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.protocol.pb.StartMessage;
import dev.resolute.server.partition.Effect;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Target;
import dev.resolute.server.schema.DeploymentSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvocationRequestTest {
  static final InvocationId ID =
      new InvocationId(42, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  static final Target KEYED =
      Target.newBuilder()
          .setService("Obj")
          .setHandler("add")
          .setKey("a b/ü")
          .setKeyed(true)
          .build();

  static DeploymentSchema dep(int min, int max) {
    return new DeploymentSchema(
        "dp_1",
        "http://a/",
        EndpointManifest.ProtocolMode.BIDI_STREAM,
        false,
        Map.of(),
        Map.of(),
        min,
        max,
        "test/1",
        0,
        List.of());
  }

  static List<byte[][]> state(String key, String value) {
    List<byte[][]> state = new ArrayList<>();
    state.add(
        new byte[][] {
          key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          value.getBytes(java.nio.charset.StandardCharsets.UTF_8)
        });
    return state;
  }

  static List<Frame> frames(byte[] body) throws Exception {
    List<Frame> out = new ArrayList<>();
    new FrameDecoder(1 << 30).feed(body, 0, body.length, out::add);
    return out;
  }

  @Test
  void protocolVersionIsTheInvocationsOwnElseTheHighestBothSpeak() {
    InvocationStatus fresh = InvocationStatus.getDefaultInstance();
    assertThat(InvocationRequest.protocolVersion(fresh, dep(5, 9))).isEqualTo(6);
    assertThat(InvocationRequest.protocolVersion(fresh, dep(5, 5))).isEqualTo(5);
    assertThat(InvocationRequest.protocolVersion(fresh, dep(7, 9)))
        .as("nothing in common")
        .isZero();
    assertThat(InvocationRequest.protocolVersion(fresh, dep(1, 4))).isZero();
    InvocationStatus pinned = InvocationStatus.newBuilder().setProtocolVersion(5).build();
    assertThat(InvocationRequest.protocolVersion(pinned, dep(5, 6)))
        .as("a journal is replayed in its version")
        .isEqualTo(5);
  }

  @Test
  void headersCarryTheIdTheEncodedKeyTheClusterAndTheDeploymentsHeadersLowerCased() {
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("X-Api-Key", "secret");
    List<Map.Entry<String, String>> h =
        InvocationRequest.headers(6, ID, KEYED, "my-cluster", extra);
    assertThat(h)
        .containsExactly(
            Map.entry("content-type", "application/vnd.restate.invocation.v6"),
            Map.entry("accept", "application/vnd.restate.invocation.v6"),
            Map.entry("x-restate-invocation-id", ID.toString()),
            Map.entry("x-restate-service-key", "a%20b%2F%C3%BC"),
            Map.entry("x-restate-cluster-name", "my-cluster"),
            Map.entry("x-api-key", "secret"));
    assertThat(
            InvocationRequest.headers(
                5,
                ID,
                Target.newBuilder().setService("Svc").setHandler("h").build(),
                "c",
                Map.of()))
        .extracting(Map.Entry::getKey)
        .doesNotContain("x-restate-service-key");
  }

  @Test
  void startCarriesTheJournalSizeRetryInfoSeedAndEagerStateFollowedByTheJournal() throws Exception {
    InvocationStatus status =
        InvocationStatus.newBuilder()
            .setTarget(KEYED)
            .setRetryCount(3)
            .setLastEntryAt(1_000)
            .build();
    JournalEntry input =
        JournalEntry.newBuilder()
            .setType(MessageType.INPUT_COMMAND.code())
            .setPayload(ByteString.copyFromUtf8("\n\u0001x"))
            .build();
    Effect.StartAttempt plan =
        new Effect.StartAttempt(ID, status, List.of(input), state("count", "1"), false);
    List<Frame> frames = frames(InvocationRequest.startAndReplay(plan, false, 1_250));
    assertThat(frames).hasSize(2);
    StartMessage start = (StartMessage) frames.get(0).message();
    assertThat(start.getId()).isEqualTo(ByteString.copyFrom(ID.toBytes()));
    assertThat(start.getDebugId()).isEqualTo(ID.toString());
    assertThat(start.getKnownEntries()).isEqualTo(1);
    assertThat(start.getKey()).isEqualTo("a b/ü");
    assertThat(start.getRetryCountSinceLastStoredEntry()).isEqualTo(3);
    assertThat(start.getDurationSinceLastStoredEntry()).isEqualTo(250);
    assertThat(start.getRandomSeed()).isEqualTo(RandomSeed.of(ID));
    assertThat(start.getPartialState()).isFalse();
    assertThat(start.getStateMapList()).hasSize(1);
    assertThat(start.getStateMap(0).getKey().toStringUtf8()).isEqualTo("count");
    assertThat(frames.get(1).code()).isEqualTo(MessageType.INPUT_COMMAND.code());
    assertThat(frames.get(1).payload()).isEqualTo(input.getPayload().toByteArray());
  }

  @Test
  void lazyHandlersAndPartialPlansGetNoEagerState() throws Exception {
    InvocationStatus status =
        InvocationStatus.newBuilder().setTarget(KEYED).setLastEntryAt(5_000).build();
    List<byte[][]> state = state("k", "v");
    for (boolean[] lazyPartial : new boolean[][] {{true, false}, {false, true}}) {
      Effect.StartAttempt plan =
          new Effect.StartAttempt(ID, status, List.of(), state, lazyPartial[1]);
      StartMessage start =
          (StartMessage)
              frames(InvocationRequest.startAndReplay(plan, lazyPartial[0], 1_000))
                  .get(0)
                  .message();
      assertThat(start.getPartialState()).isTrue();
      assertThat(start.getStateMapList()).isEmpty();
      assertThat(start.getDurationSinceLastStoredEntry()).as("never negative").isZero();
    }
  }
}
