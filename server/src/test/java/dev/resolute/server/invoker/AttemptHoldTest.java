package dev.resolute.server.invoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.Frame;
import dev.resolute.protocol.FrameCodec;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.pb.ProposeRunCompletionMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.server.log.Log;
import dev.resolute.server.partition.Appender;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.transport.ExchangeListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Held commands ({@link AttemptSession#holdable}): a {@code ctx.run} step's {@code RunCommand} goes
 * to the log in one group with its {@code ProposeRunCompletion} (one commit per step), and a
 * command the deployment sends nothing after is appended on its own once the hold expires.
 */
class AttemptHoldTest {
  static ScheduledThreadPoolExecutor scheduler;
  static ProtocolCasesReplayTest.Case greeter;

  @BeforeAll
  static void setUp() throws Exception {
    scheduler = new ScheduledThreadPoolExecutor(1);
    greeter =
        ProtocolCasesReplayTest.cases().stream()
            .filter(c -> c.serviceType().equals("SERVICE"))
            .findFirst()
            .orElseThrow();
  }

  @AfterAll
  static void tearDown() {
    scheduler.shutdownNow();
  }

  /** A log that keeps each append call's records together: one list per group. */
  static final class GroupLog implements Log {
    final List<List<byte[]>> groups = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public CompletableFuture<Long> append(int partition, byte[] payload) {
      return appendAll(partition, List.of(payload));
    }

    @Override
    public CompletableFuture<Long> appendAll(int partition, List<byte[]> payloads) {
      groups.add(List.copyOf(payloads));
      return CompletableFuture.completedFuture((long) groups.size());
    }

    @Override
    public void replay(long[] appliedLsn, RecordConsumer consumer) {}

    @Override
    public void subscribe(int partition, RecordConsumer consumer) {}

    @Override
    public void close() {}

    List<List<InvokerEvent>> events() throws Exception {
      List<List<InvokerEvent>> out = new ArrayList<>();
      for (List<byte[]> g : List.copyOf(groups)) {
        List<InvokerEvent> evs = new ArrayList<>();
        for (byte[] r : g) {
          evs.add(Envelope.parseFrom(r).getInvokerEvent());
        }
        out.add(evs);
      }
      return out;
    }
  }

  private static ExchangeListener started(GroupLog log) throws Exception {
    InvokerLimitsTest.Deployment d = new InvokerLimitsTest.Deployment();
    Invoker inv =
        new Invoker(
            d,
            ProtocolCasesReplayTest.schemas(greeter),
            new Appender(log, Clock.systemUTC()),
            scheduler,
            InvokerOptions.DEFAULTS);
    inv.start(0, InvokerLimitsTest.attempt(0));
    ExchangeListener l = d.get(0);
    l.onResponseHeaders(
        200, List.of(Map.entry("content-type", "application/vnd.restate.invocation.v6")));
    return l;
  }

  private static byte[] run(int completionId) {
    return FrameCodec.encode(
        new Frame(
            MessageType.RUN_COMMAND.code(),
            0,
            RunCommandMessage.newBuilder()
                .setName("step")
                .setResultCompletionId(completionId)
                .build()
                .toByteArray()));
  }

  @Test
  void aRunCommandIsAppendedInOneGroupWithItsProposedResult() throws Exception {
    GroupLog log = new GroupLog();
    ExchangeListener l = started(log);
    l.onData(run(1));
    assertThat(log.groups).as("the command waits for the result").isEmpty();
    l.onData(
        FrameCodec.encode(
            new Frame(
                MessageType.PROPOSE_RUN_COMPLETION.code(),
                0,
                ProposeRunCompletionMessage.newBuilder()
                    .setResultCompletionId(1)
                    .setValue(ByteString.copyFromUtf8("42"))
                    .build()
                    .toByteArray())));
    List<List<InvokerEvent>> g = log.events();
    assertThat(g).hasSize(1);
    assertThat(g.get(0)).hasSize(2);
    assertThat(g.get(0).get(0).getCommand().getType()).isEqualTo(MessageType.RUN_COMMAND.code());
    assertThat(g.get(0).get(1).getProposeRun().getCompletionId()).isEqualTo(1);
  }

  @Test
  void aRunCommandWhoseClosureRunsLongIsAppendedOnItsOwnWhenTheHoldExpires() throws Exception {
    GroupLog log = new GroupLog();
    ExchangeListener l = started(log);
    l.onData(run(1));
    await()
        .atMost(Duration.ofSeconds(5))
        .pollDelay(Duration.ofMillis(AttemptSession.HOLD_MAX_MILLIS))
        .until(() -> log.groups.size() == 1);
    List<List<InvokerEvent>> g = log.events();
    assertThat(g.get(0)).hasSize(1);
    assertThat(g.get(0).get(0).getCommand().getType()).isEqualTo(MessageType.RUN_COMMAND.code());
  }
}
