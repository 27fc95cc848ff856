package dev.resolute.server.invoker;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.discovery.DiscoveredEndpoint;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.log.Log;
import dev.resolute.server.partition.Appender;
import dev.resolute.server.partition.Effect;
import dev.resolute.server.partition.Partitioning;
import dev.resolute.server.partition.StateMachine;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.Target;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import dev.resolute.server.transport.DeploymentClient;
import dev.resolute.server.transport.Exchange;
import dev.resolute.server.transport.ExchangeListener;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a hostile deployment can send to the invoker: the response body of one attempt, decoded by
 * the real {@link AttemptSession} (frame decoder, message parsers, {@link CommandValidator}, the
 * protocol's message order), and every record it appends applied by the real {@link StateMachine}.
 * The contract ("never harms the node"): the attempt ends — with End, Suspension or a failure
 * carrying a Restate code — and applying what it appended never throws (a throwing apply stops the
 * partition). No NPE, index error, unbounded allocation or hang anywhere on the way.
 *
 * <p>Input: byte 0 picks the target (a service, a virtual object, a workflow), byte 1 the chunk
 * size the body arrives in (1..256), the rest is the response body. Seeds: the deployment side of
 * the SDK protocol cases.
 */
class AttemptSessionFuzzTest {
  private static final SchemaRegistry SCHEMAS = schemas();
  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fuzz-invoker-timers");
            t.setDaemon(true);
            return t;
          });
  private static final Target[] TARGETS = {
    Target.newBuilder().setService("Svc").setHandler("greet").build(),
    Target.newBuilder()
        .setService("Obj")
        .setHandler("add")
        .setKey("k1")
        .setKeyed(true)
        .setKind(Target.Kind.EXCLUSIVE)
        .build(),
    Target.newBuilder()
        .setService("Wf")
        .setHandler("run")
        .setKey("w1")
        .setKeyed(true)
        .setKind(Target.Kind.WORKFLOW_RUN)
        .build(),
  };

  @FuzzTest
  void respond(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** Called once by the standalone Jazzer driver ({@code scripts/fuzz}) before fuzzing. */
  public static void fuzzerInitialize() {
    dev.resolute.server.FuzzLogging.off();
  }

  public static void fuzzerTestOneInput(byte[] input) {
    if (input.length < 2) {
      return;
    }
    Target target = TARGETS[(input[0] & 0xFF) % TARGETS.length];
    int chunk = (input[1] & 0xFF) + 1;
    byte[] body = Arrays.copyOfRange(input, 2, input.length);

    Store store = new MemoryStore();
    StateMachine sm = new StateMachine(0, new Partitioning(1));
    long[] lsn = {0};
    long now = 1_700_000_000_000L;
    byte[] uuid = new byte[16];
    uuid[15] = 1;
    InvocationId id =
        new InvocationId(target.getKeyed() ? PartitionKeys.keyed(target.getKey()) : 7L, uuid);
    List<Effect> effects =
        apply(
            sm,
            store,
            lsn,
            Envelope.newBuilder()
                .setTimestampMillis(now)
                .setInvoke(
                    Invoke.newBuilder()
                        .setInvocationId(ByteString.copyFrom(id.toBytes()))
                        .setTarget(target)
                        .setInput(ByteString.copyFromUtf8("\"in\""))
                        .setIngressRequest(1)
                        .setIngressWantsResult(true))
                .build());
    Effect.StartAttempt start =
        effects.stream()
            .filter(Effect.StartAttempt.class::isInstance)
            .map(Effect.StartAttempt.class::cast)
            .findFirst()
            .orElseThrow();

    FakeClient client = new FakeClient();
    RecordingLog log = new RecordingLog();
    Invoker invoker =
        new Invoker(
            client,
            SCHEMAS,
            new Appender(log, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC)),
            SCHEDULER,
            InvokerOptions.DEFAULTS,
            () -> 0L,
            () -> new Random(1));
    invoker.start(0, start);
    ExchangeListener l = client.listener;
    if (l == null) {
      throw new AssertionError("the attempt did not open an exchange");
    }
    l.onResponseHeaders(200, List.of(Map.entry("content-type", client.contentType)));
    for (int at = 0; at < body.length; at += chunk) {
      l.onData(Arrays.copyOfRange(body, at, Math.min(body.length, at + chunk)));
    }
    l.onEnd();
    if (invoker.liveAttempts() != 0) {
      throw new AssertionError("the attempt is still live after the response ended");
    }

    InvokerEvent last = null;
    for (byte[] payload : log.snapshot()) {
      Envelope env;
      try {
        env = Envelope.parseFrom(payload);
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("the invoker appended an undecodable record", e);
      }
      last = env.getInvokerEvent();
      apply(sm, store, lsn, env.toBuilder().setTimestampMillis(now + lsn[0]).build());
    }
    if (last == null
        || !(last.getEnd()
            || last.hasSuspended()
            || (last.hasFailed() && !last.getFailed().getRestateCode().isEmpty()))) {
      throw new AssertionError("the attempt did not end with End, Suspension or a coded failure");
    }
  }

  private static List<Effect> apply(StateMachine sm, Store store, long[] lsn, Envelope env) {
    List<Effect> effects = new ArrayList<>();
    try (Store.Batch b = store.begin()) {
      sm.apply(b, ++lsn[0], env, effects);
      b.commit();
    }
    return effects;
  }

  private static SchemaRegistry schemas() {
    try {
      SchemaRegistry r = SchemaRegistry.inMemory();
      r.register(
          new DiscoveredEndpoint(
              "http://deployment/",
              false,
              DiscoveryClient.parse(
                  "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,"
                      + "\"maxProtocolVersion\":6,\"services\":["
                      + "{\"name\":\"Obj\",\"ty\":\"VIRTUAL_OBJECT\",\"handlers\":[{\"name\":\"add\"},"
                      + "{\"name\":\"get\",\"ty\":\"SHARED\"}]},"
                      + "{\"name\":\"Wf\",\"ty\":\"WORKFLOW\",\"handlers\":[{\"name\":\"run\","
                      + "\"ty\":\"WORKFLOW\"},{\"name\":\"signal\",\"ty\":\"SHARED\"}]},"
                      + "{\"name\":\"Svc\",\"ty\":\"SERVICE\",\"handlers\":[{\"name\":\"greet\"}]}]}"),
              "fuzz/1",
              3),
          Map.of(),
          Map.of(),
          false,
          false,
          false);
      return r;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens nothing: keeps the listener and the negotiated content type of the request. */
  private static final class FakeClient implements DeploymentClient {
    ExchangeListener listener;
    String contentType;

    @Override
    public Exchange open(
        URI uri,
        String method,
        List<Map.Entry<String, String>> headers,
        boolean http11,
        ExchangeListener listener) {
      this.listener = listener;
      for (Map.Entry<String, String> h : headers) {
        if (h.getKey().equalsIgnoreCase("content-type")) {
          contentType = h.getValue();
        }
      }
      return new Exchange() {
        @Override
        public void write(byte[] data) {}

        @Override
        public void end() {}

        @Override
        public void cancel() {}
      };
    }

    @Override
    public void close() {}
  }

  /** Keeps every appended record in order. */
  private static final class RecordingLog implements Log {
    private final List<byte[]> records = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Long> append(int partition, byte[] payload) {
      records.add(payload);
      return CompletableFuture.completedFuture((long) records.size());
    }

    synchronized List<byte[]> snapshot() {
      return List.copyOf(records);
    }

    @Override
    public void replay(long[] appliedLsn, RecordConsumer consumer) {}

    @Override
    public void subscribe(int partition, RecordConsumer consumer) {}

    @Override
    public void close() {}
  }
}
