package dev.resolute.server.invoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.protocol.Frame;
import dev.resolute.protocol.FrameCodec;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.ErrorMessage;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.ProposeRunCompletionMessage;
import dev.resolute.protocol.pb.StartMessage;
import dev.resolute.protocol.pb.SuspensionMessage;
import dev.resolute.server.discovery.DiscoveredEndpoint;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.log.Log;
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
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SDK's protocol cases replayed from the server's side: for each case of {@code
 * protocol/testdata/protocol-cases.txt} (written from the SDK's {@code ProtocolCases}), the frames
 * the SDK answered with are played as the deployment's response to a real {@link Invoker} and
 * {@link AttemptSession}, and every frame must become the matching log record, in order, with
 * nothing recorded after the frame that ends the attempt.
 */
class ProtocolCasesReplayTest {
  static final Path FILE =
      Path.of(System.getProperty("user.dir"))
          .getParent()
          .resolve("protocol/testdata/protocol-cases.txt");
  static ScheduledThreadPoolExecutor scheduler;

  /** One case of the fixture: the deployment's service and handler and the frames of each side. */
  record Case(
      String name,
      String service,
      String serviceType,
      String handler,
      List<Frame> sent,
      List<List<Frame>> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() throws Exception {
    List<Case> out = new ArrayList<>();
    String[] head = null;
    List<Frame> sent = new ArrayList<>();
    List<List<Frame>> expected = new ArrayList<>();
    String lastVerb = "";
    for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] w = line.split(" ", 5);
      if (w[0].equals("case")) {
        if (head != null) {
          out.add(new Case(head[4], head[1], head[2], head[3], sent, expected));
        }
        head = w;
        sent = new ArrayList<>();
        expected = new ArrayList<>();
      } else if (!w[0].equals("close")) {
        Frame f =
            new Frame(
                Integer.parseInt(w[1]), Integer.parseInt(w[2]), Base64.getDecoder().decode(w[3]));
        if (w[0].equals("send")) {
          sent.add(f);
        } else {
          if (!lastVerb.equals("expect")) {
            expected.add(new ArrayList<>());
          }
          expected.get(expected.size() - 1).add(f);
        }
      }
      lastVerb = w[0];
    }
    out.add(new Case(head[4], head[1], head[2], head[3], sent, expected));
    assertThat(out).hasSize(48);
    return out;
  }

  @BeforeAll
  static void startTimers() {
    scheduler = new ScheduledThreadPoolExecutor(1);
  }

  @AfterAll
  static void stopTimers() {
    scheduler.shutdownNow();
  }

  /**
   * Records every appended envelope, and each append call's envelopes as one group; every append is
   * durable at once.
   */
  static final class RecordingLog implements Log {
    final List<byte[]> records = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<List<byte[]>> groups = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public CompletableFuture<Long> append(int partition, byte[] payload) {
      return appendAll(partition, List.of(payload));
    }

    @Override
    public synchronized CompletableFuture<Long> appendAll(int partition, List<byte[]> payloads) {
      groups.add(List.copyOf(payloads));
      records.addAll(payloads);
      return CompletableFuture.completedFuture((long) records.size());
    }

    @Override
    public void replay(long[] appliedLsn, RecordConsumer consumer) {}

    @Override
    public void subscribe(int partition, RecordConsumer consumer) {}

    @Override
    public void close() {}
  }

  /** The deployment's side: records what the invoker writes and hands its listener to the test. */
  static final class FakeDeployment implements DeploymentClient, Exchange {
    ExchangeListener listener;
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    boolean ended;

    @Override
    public Exchange open(
        URI uri,
        String method,
        List<Map.Entry<String, String>> headers,
        boolean http11,
        ExchangeListener listener) {
      this.listener = listener;
      return this;
    }

    @Override
    public synchronized void write(byte[] data) {
      written.writeBytes(data);
    }

    @Override
    public void end() {
      ended = true;
    }

    @Override
    public void cancel() {}

    @Override
    public void close() {}
  }

  /** A schema with the case's service and every call target its frames name. */
  static SchemaRegistry schemas(Case c) throws Exception {
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, Set<String>> handlers = new LinkedHashMap<>();
    types.put(c.service(), c.serviceType());
    handlers.computeIfAbsent(c.service(), k -> new LinkedHashSet<>()).add(c.handler());
    for (List<Frame> step : c.expected()) {
      for (Frame f : step) {
        String svc = null;
        String handler = null;
        String key = null;
        if (f.type() == MessageType.CALL_COMMAND) {
          CallCommandMessage m = (CallCommandMessage) f.message();
          svc = m.getServiceName();
          handler = m.getHandlerName();
          key = m.getKey();
        } else if (f.type() == MessageType.ONE_WAY_CALL_COMMAND) {
          OneWayCallCommandMessage m = (OneWayCallCommandMessage) f.message();
          svc = m.getServiceName();
          handler = m.getHandlerName();
          key = m.getKey();
        }
        if (svc != null) {
          types.putIfAbsent(svc, key.isEmpty() ? "SERVICE" : "VIRTUAL_OBJECT");
          handlers.computeIfAbsent(svc, k -> new LinkedHashSet<>()).add(handler);
        }
      }
    }
    String services =
        types.entrySet().stream()
            .map(
                e ->
                    "{\"name\":\""
                        + e.getKey()
                        + "\",\"ty\":\""
                        + e.getValue()
                        + "\",\"handlers\":["
                        + handlers.get(e.getKey()).stream()
                            .map(
                                h ->
                                    "{\"name\":\""
                                        + h
                                        + "\""
                                        + (e.getValue().equals("WORKFLOW") && h.equals(c.handler())
                                            ? ",\"ty\":\"WORKFLOW\""
                                            : "")
                                        + "}")
                            .collect(Collectors.joining(","))
                        + "]}")
            .collect(Collectors.joining(","));
    SchemaRegistry r = SchemaRegistry.inMemory();
    r.register(
        new DiscoveredEndpoint(
            "http://deployment/",
            false,
            DiscoveryClient.parse(
                "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,\"services\":["
                    + services
                    + "]}"),
            "protocol-cases/1",
            6),
        Map.of(),
        Map.of(),
        false,
        false,
        false);
    return r;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theDeploymentsFramesBecomeTheMatchingRecords(Case c) throws Exception {
    StartMessage start = (StartMessage) c.sent().get(0).message();
    InvocationId id = InvocationId.fromBytes(start.getId().toByteArray());
    boolean keyed = !c.serviceType().equals("SERVICE");
    InvocationStatus status =
        InvocationStatus.newBuilder()
            .setAttempt(1)
            .setCommands(1) // the input command
            .setTarget(
                Target.newBuilder()
                    .setService(c.service())
                    .setHandler(c.handler())
                    .setKey(keyed ? start.getKey() : "")
                    .setKeyed(keyed))
            .build();
    RecordingLog log = new RecordingLog();
    FakeDeployment deployment = new FakeDeployment();
    Invoker invoker =
        new Invoker(
            deployment,
            schemas(c),
            new Appender(log, Clock.systemUTC()),
            scheduler,
            InvokerOptions.DEFAULTS);
    invoker.start(0, new Effect.StartAttempt(id, status, List.of(), List.of(), false));
    assertThat(deployment.listener).as("the attempt opened a request").isNotNull();
    deployment.listener.onResponseHeaders(
        200, List.of(Map.entry("content-type", "application/vnd.restate.invocation.v6")));
    List<Frame> answered = new ArrayList<>();
    for (List<Frame> step : c.expected()) {
      ByteArrayOutputStream chunk = new ByteArrayOutputStream();
      step.forEach(f -> chunk.writeBytes(FrameCodec.encode(f)));
      deployment.listener.onData(chunk.toByteArray());
      answered.addAll(step);
    }
    deployment.listener.onEnd();
    await().atMost(Duration.ofSeconds(5)).until(() -> invoker.liveAttempts() == 0);

    List<InvokerEvent> recorded = new ArrayList<>();
    int nextCommand = 1;
    for (byte[] r : List.copyOf(log.records)) {
      Envelope env = Envelope.parseFrom(r);
      InvokerEvent ev = env.getInvokerEvent();
      assertThat(ev.getInvocationId()).isEqualTo(ByteString.copyFrom(id.toBytes()));
      assertThat(ev.getAttempt()).isEqualTo(1);
      assertThat(ev.getProtocolVersion()).isEqualTo(6);
      // each command carries its index among the journal's commands, counted from the status's
      assertThat(env.getCommandIndex()).isEqualTo(ev.hasCommand() ? nextCommand++ : 0);
      recorded.add(ev);
    }
    List<String> want = new ArrayList<>();
    for (Frame f : answered) {
      want.add(expectedRecord(f));
      if (f.type() == MessageType.END
          || f.type() == MessageType.SUSPENSION
          || f.type() == MessageType.ERROR) {
        break;
      }
    }
    if (want.isEmpty() || !isTerminal(answered.get(want.size() - 1))) {
      want.add("failed 500 RT0006"); // the stream closed without End, Suspension or Error
    }
    assertThat(recorded.stream().map(ProtocolCasesReplayTest::describe).toList())
        .as(c.name())
        .containsExactlyElementsOf(want);
  }

  private static boolean isTerminal(Frame f) {
    return f.type() == MessageType.END
        || f.type() == MessageType.SUSPENSION
        || f.type() == MessageType.ERROR;
  }

  /**
   * What the server must record for one frame of the deployment, in the form of {@link #describe}.
   */
  private static String expectedRecord(Frame f) throws Exception {
    MessageType t = f.type();
    if (t.isCommand()) {
      return "command " + f.code() + " " + Base64.getEncoder().encodeToString(f.payload());
    }
    return switch (t) {
      case PROPOSE_RUN_COMPLETION -> {
        ProposeRunCompletionMessage p = (ProposeRunCompletionMessage) f.message();
        yield "propose-run "
            + p.getResultCompletionId()
            + " "
            + (p.hasFailure()
                ? "failure " + p.getFailure().getCode()
                : "value " + p.getValue().toStringUtf8());
      }
      case SUSPENSION -> {
        SuspensionMessage s = (SuspensionMessage) f.message();
        yield "suspended "
            + s.getWaitingCompletionsList()
            + " "
            + s.getWaitingSignalsList()
            + " "
            + s.getWaitingNamedSignalsList();
      }
      case ERROR -> {
        ErrorMessage e = (ErrorMessage) f.message();
        yield "failed "
            + e.getCode()
            + " "
            + (e.getCode() == 570 ? "RT0016" : e.getCode() == 571 ? "RT0012" : "RT0007");
      }
      case END -> "end";
      default -> throw new AssertionError("a deployment does not send " + t);
    };
  }

  private static String describe(InvokerEvent ev) {
    try {
      return switch (ev.getEventCase()) {
        case COMMAND ->
            "command "
                + ev.getCommand().getType()
                + " "
                + Base64.getEncoder().encodeToString(ev.getCommand().getPayload().toByteArray());
        case PROPOSE_RUN ->
            "propose-run "
                + ev.getProposeRun().getCompletionId()
                + " "
                + (ev.getProposeRun().getOutcome().hasFailure()
                    ? "failure " + ev.getProposeRun().getOutcome().getFailure().getCode()
                    : "value " + ev.getProposeRun().getOutcome().getSuccess().toStringUtf8());
        case SUSPENDED ->
            "suspended "
                + ev.getSuspended().getCompletionsList()
                + " "
                + ev.getSuspended().getSignalsList()
                + " "
                + ev.getSuspended().getNamedSignalsList();
        case FAILED -> "failed " + ev.getFailed().getCode() + " " + ev.getFailed().getRestateCode();
        case END -> "end";
        default -> throw new InvalidProtocolBufferException("empty event");
      };
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
