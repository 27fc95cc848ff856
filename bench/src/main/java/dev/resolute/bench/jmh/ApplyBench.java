package dev.resolute.bench.jmh;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.Value;
import dev.resolute.server.partition.Effect;
import dev.resolute.server.partition.Partitioning;
import dev.resolute.server.partition.StateMachine;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Target;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.RocksStore;
import dev.resolute.server.storage.Store;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The partition's apply loop as {@code PartitionProcessor.drain} runs it: parse each record, apply
 * it, one store batch per drained group. One operation = one whole echo invocation (Invoke, the
 * Output command, End: three records), applied in groups of {@code batch} invocations, against the
 * in-memory store or RocksDB.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ApplyBench {
  private static final int GROUP = 16;

  @Param({"memory", "rocksdb"})
  public String store;

  private Store st;
  private Path dir;
  private StateMachine sm;
  private long lsn;
  private long seq;
  private byte[] output;
  private final Target target = Target.newBuilder().setService("Echo").setHandler("echo").build();

  @Setup
  public void setup() throws IOException {
    if (store.equals("rocksdb")) {
      dir = Files.createTempDirectory("apply-bench");
      st = RocksStore.open(dir);
    } else {
      st = new MemoryStore();
    }
    sm = new StateMachine(0, new Partitioning(1));
    output =
        OutputCommandMessage.newBuilder()
            .setValue(Value.newBuilder().setContent(ByteString.copyFromUtf8("\"hi\"")))
            .build()
            .toByteArray();
  }

  @TearDown
  public void tearDown() throws IOException {
    st.close();
    if (dir != null) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private byte[][] records() {
    long n = ++seq;
    byte[] uuid = ByteBuffer.allocate(16).putLong(0, n).putLong(8, n * 31).array();
    ByteString id = ByteString.copyFrom(new InvocationId(n * 0x9E3779B97F4A7C15L, uuid).toBytes());
    long ts = 1_700_000_000_000L + n;
    return new byte[][] {
      Envelope.newBuilder()
          .setTimestampMillis(ts)
          .setInvoke(
              Invoke.newBuilder()
                  .setInvocationId(id)
                  .setTarget(target)
                  .setInput(ByteString.copyFromUtf8("\"hi\""))
                  .setIngressRequest(n)
                  .setIngressWantsResult(true))
          .build()
          .toByteArray(),
      Envelope.newBuilder()
          .setTimestampMillis(ts)
          .setInvokerEvent(
              InvokerEvent.newBuilder()
                  .setInvocationId(id)
                  .setAttempt(1)
                  .setDeploymentId("dp_x")
                  .setProtocolVersion(6)
                  .setCommand(
                      JournalEntry.newBuilder()
                          .setType(MessageType.OUTPUT_COMMAND.code())
                          .setPayload(ByteString.copyFrom(output))))
          .build()
          .toByteArray(),
      Envelope.newBuilder()
          .setTimestampMillis(ts)
          .setInvokerEvent(InvokerEvent.newBuilder().setInvocationId(id).setAttempt(1).setEnd(true))
          .build()
          .toByteArray()
    };
  }

  /** GROUP invocations per operation group; each record of an invocation in its own drain. */
  @Benchmark
  @OperationsPerInvocation(GROUP)
  public int echoLifecycle() throws Exception {
    byte[][][] inv = new byte[GROUP][][];
    for (int i = 0; i < GROUP; i++) {
      inv[i] = records();
    }
    int effects = 0;
    for (int step = 0; step < 3; step++) {
      List<Effect> out = new ArrayList<>();
      try (Store.Batch b = st.begin()) {
        for (int i = 0; i < GROUP; i++) {
          sm.apply(b, ++lsn, Envelope.parseFrom(inv[i][step]), out);
        }
        b.commit();
      }
      effects += out.size();
    }
    return effects;
  }
}
