package dev.resolute.sdk.protocol;

import static dev.resolute.sdk.protocol.Frames.completion;
import static dev.resolute.sdk.protocol.Frames.f;
import static dev.resolute.sdk.protocol.Frames.input;
import static dev.resolute.sdk.protocol.Frames.start;
import static dev.resolute.sdk.protocol.Frames.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.resolute.protocol.Frame;
import dev.resolute.protocol.FrameCodec;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.pb.ErrorMessage;
import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Service;
import dev.resolute.sdk.annotation.VirtualObject;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.internal.endpoint.EndpointHandler;
import dev.resolute.sdk.internal.endpoint.ResponseSink;
import dev.resolute.sdk.logging.ReplayAwareLogFilter;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Behaviour beyond frames: error texts, logging during replay, MDC, binding validation. */
@Timeout(30)
class StateMachineBehaviourTest {
  private static final Logger USER_LOG = LoggerFactory.getLogger("user.code");

  static List<Frame> run(ServiceDefinition svc, String handler, boolean closeInput, Frame... in)
      throws Exception {
    EndpointHandler h = new EndpointHandler(Endpoint.bind(svc).build());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CountDownLatch ended = new CountDownLatch(1);
    Map<String, String> headers =
        Map.of(
            "content-type",
            "application/vnd.restate.invocation.v5",
            "x-restate-invocation-id",
            Frames.INVOCATION_ID);
    var routed =
        (EndpointHandler.Invocation)
            h.handle(
                "POST",
                "/invoke/" + svc.getServiceName() + "/" + handler,
                headers::get,
                true,
                new ResponseSink() {
                  public synchronized void write(byte[] b) {
                    out.writeBytes(b);
                  }

                  public void end() {
                    ended.countDown();
                  }
                });
    assertThat(routed.contentType()).isEqualTo("application/vnd.restate.invocation.v5");
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    for (Frame fr : in) {
      req.writeBytes(FrameCodec.encode(fr));
    }
    byte[] bytes = req.toByteArray();
    routed.session().onData(bytes, 0, bytes.length);
    if (closeInput) {
      routed.session().onEndOfInput();
    }
    assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
    synchronized (out) {
      return FrameCodec.decodeAll(out.toByteArray());
    }
  }

  @Test
  void journalMismatchMessageNamesTheEntry() throws Exception {
    List<Frame> out =
        run(
            ProtocolCases.SVC,
            "run",
            false,
            f(start(2)),
            input(""),
            f(ProtocolCases.sleep(1, 5, "nap")));
    ErrorMessage e = (ErrorMessage) out.get(0).message();
    assertThat(e.getCode()).isEqualTo(570);
    assertThat(e.getMessage())
        .contains("command index 1", "SLEEP_COMMAND", "RUN_COMMAND", "nap", "\"a\"");
  }

  @Test
  void runAsyncClosuresRunInParallelAndProposeBeforeSuspending() throws Exception {
    ServiceDefinition svc =
        ServiceDefinition.service("Par")
            .handler(
                "h",
                Void.class,
                String.class,
                (ctx, v) -> {
                  CountDownLatch bStarted = new CountDownLatch(1);
                  var a =
                      ctx.runAsync(
                          "a",
                          String.class,
                          () -> bStarted.await(5, TimeUnit.SECONDS) ? "a" : "sequential");
                  var b =
                      ctx.runAsync(
                          "b",
                          String.class,
                          () -> {
                            bStarted.countDown();
                            return "b";
                          });
                  return a.await() + b.await();
                })
            .build();
    List<Frame> out = run(svc, "h", true, f(start(1)), input(""));
    assertThat(out)
        .extracting(Frame::type)
        .containsExactly(
            MessageType.RUN_COMMAND,
            MessageType.RUN_COMMAND,
            MessageType.PROPOSE_RUN_COMPLETION,
            MessageType.PROPOSE_RUN_COMPLETION,
            MessageType.SUSPENSION);
    Map<Integer, String> proposals = new java.util.TreeMap<>();
    for (Frame fr : out.subList(2, 4)) {
      var p = (dev.resolute.protocol.pb.ProposeRunCompletionMessage) fr.message();
      proposals.put(p.getResultCompletionId(), p.getValue().toStringUtf8());
    }
    assertThat(proposals).containsExactly(Map.entry(1, "\"a\""), Map.entry(2, "\"b\""));
  }

  @Test
  void contextUseInsideRunAsyncIsRejected() throws Exception {
    ServiceDefinition svc =
        ServiceDefinition.service("Nested")
            .handler(
                "h",
                Void.class,
                String.class,
                (ctx, v) ->
                    ctx.runAsync(
                            "outer",
                            String.class,
                            () -> {
                              ctx.sleep(Duration.ofMillis(1));
                              return "nested";
                            })
                        .await())
            .build();
    List<Frame> out = run(svc, "h", false, f(start(1)), input(""));
    assertThat(out)
        .extracting(Frame::type)
        .containsExactly(MessageType.RUN_COMMAND, MessageType.ERROR);
    assertThat(((ErrorMessage) out.get(1).message()).getMessage()).contains("inside ctx.run");
  }

  @Test
  void catchThrowableCannotResurrectAnEndedAttempt() throws Exception {
    ServiceDefinition svc =
        ServiceDefinition.service("Greedy")
            .handler(
                "h",
                Void.class,
                String.class,
                (ctx, v) -> {
                  try {
                    ctx.sleep(Duration.ofSeconds(1));
                  } catch (Throwable t) {
                    ctx.run(() -> {});
                    return "resurrected";
                  }
                  return "woke";
                })
            .build();
    List<Frame> out = run(svc, "h", true, f(start(1)), input(""));
    assertThat(out)
        .extracting(Frame::type)
        .containsExactly(MessageType.SLEEP_COMMAND, MessageType.SUSPENSION);
  }

  @Test
  void userLogsHiddenDuringReplayAndMdcCarriesInvocationId() throws Exception {
    LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
    ReplayAwareLogFilter filter = new ReplayAwareLogFilter();
    filter.start();
    lc.addTurboFilter(filter);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ch.qos.logback.classic.Logger user = lc.getLogger("user.code");
    user.addAppender(appender);
    try {
      ServiceDefinition svc =
          ServiceDefinition.service("Logs")
              .handler(
                  "h",
                  Void.class,
                  String.class,
                  (ctx, v) -> {
                    USER_LOG.info("before run");
                    String r = ctx.run("a", String.class, () -> "x");
                    USER_LOG.info("after run");
                    return r;
                  })
              .build();
      run(
          svc,
          "h",
          false,
          f(start(3)),
          input(""),
          f(ProtocolCases.run(1, "a")),
          Frames.notification(MessageType.RUN_COMPLETION, completion(1).setValue(value("\"x\""))));
      assertThat(appender.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("after run");
      assertThat(appender.list.get(0).getMDCPropertyMap())
          .containsEntry("restateInvocationId", Frames.INVOCATION_ID)
          .containsEntry("restateInvocationStatus", "PROCESSING")
          .containsEntry("restateInvocationTarget", "Logs/h");
    } finally {
      lc.getTurboFilterList().remove(filter);
      user.detachAppender(appender);
    }
  }

  @Test
  void contextCannotBeUsedInsideRun() throws Exception {
    ServiceDefinition svc =
        ServiceDefinition.service("Nested")
            .handler(
                "h",
                Void.class,
                String.class,
                (ctx, v) ->
                    ctx.run("outer", String.class, () -> ctx.run("inner", String.class, () -> "x")))
            .build();
    List<Frame> out = run(svc, "h", false, f(start(1)), input(""));
    assertThat(out)
        .extracting(Frame::type)
        .containsExactly(MessageType.RUN_COMMAND, MessageType.ERROR);
    assertThat(((ErrorMessage) out.get(1).message()).getMessage()).contains("inside ctx.run");
  }

  @Service
  static class BadService {
    @Handler
    public String h(String notAContext) {
      return notAContext;
    }
  }

  @VirtualObject
  static class WrongContext {
    @Handler
    public String h(dev.resolute.sdk.WorkflowContext ctx) {
      return "";
    }
  }

  @Test
  void reflectiveBindingValidatesSignatures() {
    assertThatThrownBy(() -> Endpoint.bind(new BadService()))
        .hasMessageContaining("first parameter");
    assertThatThrownBy(() -> Endpoint.bind(new WrongContext()))
        .hasMessageContaining("ObjectContext");
    assertThatThrownBy(() -> Endpoint.bind(new Object())).hasMessageContaining("not annotated");
    assertThatThrownBy(
            () ->
                ServiceDefinition.service("restateX")
                    .handler("h", Void.class, Void.class, (Context c, Void v) -> null)
                    .build())
        .hasMessageContaining("reserved");
  }
}
