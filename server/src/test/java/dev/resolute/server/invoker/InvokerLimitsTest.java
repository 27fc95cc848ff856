package dev.resolute.server.invoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.Frame;
import dev.resolute.protocol.FrameCodec;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.EndMessage;
import dev.resolute.protocol.pb.ProposeRunCompletionMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.protocol.pb.StartMessage;
import dev.resolute.server.partition.Appender;
import dev.resolute.server.partition.Effect;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.Target;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.transport.DeploymentClient;
import dev.resolute.server.transport.Exchange;
import dev.resolute.server.transport.ExchangeListener;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The invoker's limits: a message over {@code message-size-limit} fails its attempt with RT0003 as
 * soon as its header is read, and {@code concurrent-invocations-limit} keeps later attempts waiting
 * (not failed) until a running one ends. {@link Holding}: the commands an attempt holds back.
 */
class InvokerLimitsTest {
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

  /** Every exchange the invoker opens, in order, with its listener. */
  static final class Deployment implements DeploymentClient {
    final List<ExchangeListener> opened = new ArrayList<>();
    final List<Boolean> cancelled = new ArrayList<>();

    @Override
    public synchronized Exchange open(
        URI uri,
        String method,
        List<Map.Entry<String, String>> headers,
        boolean http11,
        ExchangeListener listener) {
      int i = opened.size();
      opened.add(listener);
      cancelled.add(false);
      return new Exchange() {
        @Override
        public void write(byte[] data) {}

        @Override
        public void end() {}

        @Override
        public void cancel() {
          synchronized (Deployment.this) {
            cancelled.set(i, true);
          }
        }
      };
    }

    synchronized int count() {
      return opened.size();
    }

    synchronized ExchangeListener get(int i) {
      return opened.get(i);
    }

    @Override
    public void close() {}
  }

  private static Invoker invoker(
      Deployment d, ProtocolCasesReplayTest.RecordingLog log, InvokerOptions options)
      throws Exception {
    SchemaRegistry schemas = ProtocolCasesReplayTest.schemas(greeter);
    return new Invoker(d, schemas, new Appender(log, Clock.systemUTC()), scheduler, options);
  }

  private static Effect.StartAttempt attempt(int n) throws Exception {
    StartMessage start = (StartMessage) greeter.sent().get(0).message();
    byte[] raw = start.getId().toByteArray();
    raw[raw.length - 1] = (byte) (raw[raw.length - 1] + n); // a distinct id per attempt
    InvocationId id = InvocationId.fromBytes(raw);
    InvocationStatus status =
        InvocationStatus.newBuilder()
            .setAttempt(1)
            .setTarget(
                Target.newBuilder().setService(greeter.service()).setHandler(greeter.handler()))
            .build();
    return new Effect.StartAttempt(id, status, List.of(), List.of(), false);
  }

  private static void respond(ExchangeListener l) {
    l.onResponseHeaders(
        200, List.of(Map.entry("content-type", "application/vnd.restate.invocation.v6")));
  }

  private static List<InvokerEvent> events(ProtocolCasesReplayTest.RecordingLog log)
      throws Exception {
    List<InvokerEvent> out = new ArrayList<>();
    for (byte[] r : List.copyOf(log.records)) {
      out.add(Envelope.parseFrom(r).getInvokerEvent());
    }
    return out;
  }

  @Test
  void aMessageOverTheLimitFailsTheAttemptWithRt0003BeforeItsBodyArrives() throws Exception {
    Deployment d = new Deployment();
    ProtocolCasesReplayTest.RecordingLog log = new ProtocolCasesReplayTest.RecordingLog();
    Invoker inv = invoker(d, log, InvokerOptions.DEFAULTS.withLimits(1024 * 1024, 1024, 10));
    inv.start(0, attempt(0));
    ExchangeListener l = d.get(0);
    respond(l);
    // a header declaring 3 GB, and only a few bytes of it
    byte[] header = new byte[8];
    long v = ((long) MessageType.OUTPUT_COMMAND.code() << 48) | 3_000_000_000L;
    for (int i = 0; i < 8; i++) {
      header[i] = (byte) (v >>> (56 - 8 * i));
    }
    l.onData(header);
    l.onData(new byte[100]);
    await().atMost(Duration.ofSeconds(5)).until(() -> inv.liveAttempts() == 0);
    List<InvokerEvent> ev = events(log);
    assertThat(ev).hasSize(1);
    assertThat(ev.get(0).hasFailed()).isTrue();
    assertThat(ev.get(0).getFailed().getRestateCode()).isEqualTo("RT0003");
    assertThat(ev.get(0).getFailed().getMessage())
        .isEqualTo("message encoding error: hit message size limit: 3000000000 >= 1310720");
    assertThat(d.cancelled.get(0)).as("the exchange is cancelled").isTrue();
  }

  @Test
  void aMessageJustUnderTheLimitWithItsAllowancePasses() throws Exception {
    Deployment d = new Deployment();
    ProtocolCasesReplayTest.RecordingLog log = new ProtocolCasesReplayTest.RecordingLog();
    Invoker inv = invoker(d, log, InvokerOptions.DEFAULTS.withLimits(1024, 1024, 10));
    inv.start(0, attempt(0));
    respond(d.get(0));
    // 1024 + 256 KiB - 1 bytes: under restate-server's effective limit
    byte[] payload = new byte[1024 + 256 * 1024 - 1];
    d.get(0).onData(FrameCodec.encode(new Frame(MessageType.END.code(), 0, payload)));
    await().atMost(Duration.ofSeconds(5)).until(() -> inv.liveAttempts() == 0);
    assertThat(events(log).get(0).getFailed().getRestateCode()).isNotEqualTo("RT0003");
  }

  @Test
  void attemptsOverTheConcurrencyLimitWaitAndRunInArrivalOrder() throws Exception {
    Deployment d = new Deployment();
    ProtocolCasesReplayTest.RecordingLog log = new ProtocolCasesReplayTest.RecordingLog();
    Invoker inv =
        invoker(
            d,
            log,
            InvokerOptions.DEFAULTS.withLimits(
                InvokerOptions.DEFAULT_MAX_MESSAGE_SIZE,
                InvokerOptions.DEFAULT_MESSAGE_SIZE_WARNING,
                2));
    List<Effect.StartAttempt> attempts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      attempts.add(attempt(i));
      inv.start(0, attempts.get(i));
    }
    assertThat(d.count()).as("only two requests are sent").isEqualTo(2);
    assertThat(inv.runningAttempts()).isEqualTo(2);
    assertThat(inv.waitingAttempts()).isEqualTo(3);
    assertThat(log.records).as("nothing is recorded for a waiting attempt").isEmpty();

    // the first ends: the third starts
    end(d.get(0));
    assertThat(d.count()).isEqualTo(3);
    // the fourth is aborted while it waits: it never starts, and the slot goes on to the fifth
    inv.abort(attempts.get(3).id());
    inv.abort(attempts.get(1).id());
    assertThat(d.count()).isEqualTo(4);
    assertThat(inv.runningAttempts()).isEqualTo(2);
    assertThat(inv.waitingAttempts()).isZero();
    end(d.get(2));
    end(d.get(3));
    await().atMost(Duration.ofSeconds(5)).until(() -> inv.liveAttempts() == 0);
    assertThat(inv.runningAttempts()).isZero();
    assertThat(d.count()).as("the aborted waiting attempt was never sent").isEqualTo(4);
    assertThat(events(log)).hasSize(3).allMatch(InvokerEvent::getEnd);
  }

  private static void end(ExchangeListener l) {
    respond(l);
    l.onData(
        FrameCodec.encode(
            new Frame(MessageType.END.code(), 0, EndMessage.getDefaultInstance().toByteArray())));
    l.onEnd();
  }

  /**
   * Held commands ({@link AttemptSession#holdable}): a {@code ctx.run} step's {@code RunCommand}
   * goes to the log in one group with its {@code ProposeRunCompletion} (one commit per step), and a
   * command the deployment sends nothing after is appended on its own once the hold expires.
   */
  @Nested
  class Holding {
    private List<List<InvokerEvent>> groups(ProtocolCasesReplayTest.RecordingLog log)
        throws Exception {
      List<List<InvokerEvent>> out = new ArrayList<>();
      for (List<byte[]> g : List.copyOf(log.groups)) {
        List<InvokerEvent> evs = new ArrayList<>();
        for (byte[] r : g) {
          evs.add(Envelope.parseFrom(r).getInvokerEvent());
        }
        out.add(evs);
      }
      return out;
    }

    private ExchangeListener started(ProtocolCasesReplayTest.RecordingLog log) throws Exception {
      return started(log, null);
    }

    /** With {@code loop}: the attempt's own timers go to it when armed on its thread. */
    private ExchangeListener started(
        ProtocolCasesReplayTest.RecordingLog log, io.netty.util.concurrent.EventExecutor loop)
        throws Exception {
      Deployment d = new Deployment();
      Invoker inv = invoker(d, log, InvokerOptions.DEFAULTS);
      if (loop != null) {
        inv.localTimers(() -> loop.inEventLoop() ? loop : null);
      }
      inv.start(0, attempt(0));
      ExchangeListener l = d.get(0);
      l.onResponseHeaders(
          200, List.of(Map.entry("content-type", "application/vnd.restate.invocation.v6")));
      return l;
    }

    private byte[] run(int completionId) {
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
      ProtocolCasesReplayTest.RecordingLog log = new ProtocolCasesReplayTest.RecordingLog();
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
      List<List<InvokerEvent>> g = groups(log);
      assertThat(g).hasSize(1);
      assertThat(g.get(0)).hasSize(2);
      assertThat(g.get(0).get(0).getCommand().getType()).isEqualTo(MessageType.RUN_COMMAND.code());
      assertThat(g.get(0).get(1).getProposeRun().getCompletionId()).isEqualTo(1);
    }

    @Test
    void aRunCommandWhoseClosureRunsLongIsAppendedOnItsOwnWhenTheHoldExpires() throws Exception {
      ProtocolCasesReplayTest.RecordingLog log = new ProtocolCasesReplayTest.RecordingLog();
      ExchangeListener l = started(log);
      l.onData(run(1));
      await()
          .atMost(Duration.ofSeconds(5))
          .pollDelay(Duration.ofMillis(AttemptSession.HOLD_MAX_MILLIS))
          .until(() -> log.groups.size() == 1);
      List<List<InvokerEvent>> g = groups(log);
      assertThat(g.get(0)).hasSize(1);
      assertThat(g.get(0).get(0).getCommand().getType()).isEqualTo(MessageType.RUN_COMMAND.code());
    }

    @Test
    void aHoldArmedOnAnEventLoopWaitsOnThatLoopNotOnTheSharedScheduler() throws Exception {
      io.netty.util.concurrent.DefaultEventExecutor loop =
          new io.netty.util.concurrent.DefaultEventExecutor();
      try {
        ProtocolCasesReplayTest.RecordingLog log = new ProtocolCasesReplayTest.RecordingLog();
        ExchangeListener l = started(log, loop);
        int shared = scheduler.getQueue().size(); // the inactivity check armed by the start
        loop.submit(() -> l.onData(run(1))).get();
        assertThat(scheduler.getQueue())
            .as("no timer of the hold on the shared scheduler (whose thread it would wake)")
            .hasSize(shared);
        assertThat(log.groups).isEmpty();
        await()
            .atMost(Duration.ofSeconds(5))
            .pollDelay(Duration.ofMillis(AttemptSession.HOLD_MAX_MILLIS))
            .until(() -> log.groups.size() == 1);
        assertThat(groups(log).get(0).get(0).getCommand().getType())
            .isEqualTo(MessageType.RUN_COMMAND.code());
      } finally {
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }
}
