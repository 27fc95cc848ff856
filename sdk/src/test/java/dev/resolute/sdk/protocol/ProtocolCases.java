package dev.resolute.sdk.protocol;

import static dev.resolute.sdk.protocol.Frames.completion;
import static dev.resolute.sdk.protocol.Frames.end;
import static dev.resolute.sdk.protocol.Frames.f;
import static dev.resolute.sdk.protocol.Frames.input;
import static dev.resolute.sdk.protocol.Frames.notification;
import static dev.resolute.sdk.protocol.Frames.outputFailure;
import static dev.resolute.sdk.protocol.Frames.outputValue;
import static dev.resolute.sdk.protocol.Frames.start;
import static dev.resolute.sdk.protocol.Frames.suspension;
import static dev.resolute.sdk.protocol.Frames.value;

import com.google.protobuf.ByteString;
import dev.resolute.common.Output;
import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.AttachInvocationCommandMessage;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.ClearAllStateCommandMessage;
import dev.resolute.protocol.pb.ClearStateCommandMessage;
import dev.resolute.protocol.pb.CompleteAwakeableCommandMessage;
import dev.resolute.protocol.pb.CompletePromiseCommandMessage;
import dev.resolute.protocol.pb.ErrorMessage;
import dev.resolute.protocol.pb.Failure;
import dev.resolute.protocol.pb.GetEagerStateCommandMessage;
import dev.resolute.protocol.pb.GetEagerStateKeysCommandMessage;
import dev.resolute.protocol.pb.GetInvocationOutputCommandMessage;
import dev.resolute.protocol.pb.GetLazyStateCommandMessage;
import dev.resolute.protocol.pb.GetPromiseCommandMessage;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.PeekPromiseCommandMessage;
import dev.resolute.protocol.pb.ProposeRunCompletionMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.protocol.pb.SendSignalCommandMessage;
import dev.resolute.protocol.pb.SetStateCommandMessage;
import dev.resolute.protocol.pb.SleepCommandMessage;
import dev.resolute.protocol.pb.StartMessage;
import dev.resolute.protocol.pb.StateKeys;
import dev.resolute.sdk.Awakeable;
import dev.resolute.sdk.CallDurableFuture;
import dev.resolute.sdk.DurableFuture;
import dev.resolute.sdk.Select;
import dev.resolute.sdk.common.DurablePromiseKey;
import dev.resolute.sdk.common.RetryPolicy;
import dev.resolute.sdk.common.StateKey;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.serde.TypeTag;
import java.time.Duration;
import java.util.List;

/** The protocol cases: every context operation, replay, suspension, errors. */
final class ProtocolCases {
  static final long NOW = 1_000_000L;
  static final String CALLEE_ID = "inv_1dmFfwjgumJB7e5VKofXMZZl7Mvi8aLPXq";
  private static final StateKey<Integer> COUNT = StateKey.of("count", Integer.class);
  private static final DurablePromiseKey<String> P = DurablePromiseKey.of("p", String.class);

  private ProtocolCases() {}

  static final ServiceDefinition SVC =
      ServiceDefinition.service("Svc")
          .handler("greet", String.class, String.class, (ctx, n) -> "Hello " + n)
          .handler(
              "terminal",
              String.class,
              String.class,
              (ctx, n) -> {
                throw new TerminalException(409, "boom");
              })
          .handler(
              "retryable",
              String.class,
              String.class,
              (ctx, n) -> {
                throw new IllegalStateException("oops");
              })
          .handler(
              "swallow",
              Void.class,
              String.class,
              (ctx, v) -> {
                try {
                  ctx.sleep(Duration.ofSeconds(1));
                } catch (Exception e) {
                  return "swallowed";
                }
                return "woke";
              })
          .handler(
              "run", Void.class, String.class, (ctx, v) -> ctx.run("a", String.class, () -> "x"))
          .handler(
              "runFlaky",
              Void.class,
              String.class,
              (ctx, v) ->
                  ctx.run(
                      "a",
                      String.class,
                      RetryPolicy.fixedDelay(Duration.ofMillis(50)).setMaxAttempts(2),
                      () -> {
                        throw new IllegalStateException("flaky");
                      }))
          .handler(
              "sleep",
              Void.class,
              String.class,
              (ctx, v) -> {
                ctx.sleep(Duration.ofSeconds(1));
                return "woke";
              })
          .handler(
              "call",
              String.class,
              String.class,
              (ctx, n) ->
                  ctx.call(
                          Request.of(
                                  Target.virtualObject("Obj", "k1", "add"),
                                  TypeTag.of(String.class),
                                  TypeTag.of(String.class),
                                  n)
                              .idempotencyKey("ik"))
                      .await())
          .handler(
              "send",
              String.class,
              Void.class,
              (ctx, n) -> {
                ctx.send(
                    Request.of(
                        Target.service("Other", "h"),
                        TypeTag.of(String.class),
                        TypeTag.of(Void.class),
                        n),
                    Duration.ofSeconds(5));
                return null;
              })
          .handler(
              "awakeable",
              Void.class,
              String.class,
              (ctx, v) -> ctx.awakeable(String.class).await())
          .handler(
              "resolveAwakeable",
              String.class,
              Void.class,
              (ctx, id) -> {
                ctx.awakeableHandle(id).resolve(String.class, "yes");
                ctx.awakeableHandle(id).reject("no");
                return null;
              })
          .handler(
              "handle",
              String.class,
              String.class,
              (ctx, id) -> {
                var h = ctx.invocationHandle(id, TypeTag.of(String.class));
                Output<String> o = h.getOutput();
                h.cancel();
                return o.isReady() + ":" + h.attach().await();
              })
          .handler(
              "race",
              Void.class,
              String.class,
              (ctx, v) -> {
                DurableFuture<Void> a = ctx.timer("a", Duration.ofSeconds(10));
                DurableFuture<Void> b = ctx.timer("b", Duration.ofSeconds(1));
                return Select.<String>select().when(a, x -> "a").when(b, x -> "b").await();
              })
          .handler(
              "all",
              Void.class,
              String.class,
              (ctx, v) -> {
                DurableFuture<Void> a = ctx.timer(Duration.ofSeconds(1));
                DurableFuture<Void> b = ctx.timer(Duration.ofSeconds(2));
                DurableFuture.all(a, b).await();
                return "both";
              })
          .handler(
              "timeout",
              Void.class,
              String.class,
              (ctx, v) -> {
                try {
                  return ctx.awakeable(String.class).await(Duration.ofSeconds(1));
                } catch (dev.resolute.sdk.common.TimeoutException e) {
                  return "timeout " + e.getCode();
                }
              })
          .handler("random", Void.class, Integer.class, (ctx, v) -> ctx.random().nextInt(1000))
          .handler(
              "request",
              String.class,
              String.class,
              (ctx, n) -> {
                String guarded;
                try {
                  ctx.random().setSeed(7);
                  guarded = "reseeded";
                } catch (UnsupportedOperationException e) {
                  guarded = "seed guarded";
                }
                return ctx.request().invocationId()
                    + " "
                    + ctx.request().invocationId().toRandomSeed()
                    + " "
                    + ctx.request().headers().get("x-h")
                    + " "
                    + ctx.request().bodyAsByteArray().length
                    + " "
                    + guarded;
              })
          .handler(
              "runAsync",
              Void.class,
              String.class,
              (ctx, v) -> ctx.runAsync("a", String.class, () -> "x").map(s -> s + "!").await())
          .handler(
              "callHandle",
              String.class,
              String.class,
              (ctx, n) -> {
                CallDurableFuture<String> f =
                    ctx.call(
                        Request.of(
                            Target.virtualObject("Obj", "k1", "add"),
                            TypeTag.of(String.class),
                            TypeTag.of(String.class),
                            n));
                String id = f.invocationId();
                f.cancel();
                return id + ":" + f.mapFailure(e -> "failed " + e.getCode()).await();
              })
          .handler(
              "anyMapped",
              Void.class,
              String.class,
              (ctx, v) -> {
                Awakeable<String> a = ctx.awakeable(String.class);
                DurableFuture<Void> t = ctx.timer(Duration.ofSeconds(1));
                int first = DurableFuture.any(a, t).await();
                return first
                    + ":"
                    + a.map(x -> "resolved " + x, e -> "rejected " + e.getMessage()).await();
              })
          .handler(
              "selectTimeout",
              Void.class,
              String.class,
              (ctx, v) -> {
                try {
                  return Select.<String>select()
                      .or(ctx.awakeable(String.class))
                      .await(Duration.ofSeconds(1));
                } catch (dev.resolute.sdk.common.TimeoutException e) {
                  return "timeout";
                }
              })
          .build();

  static final ServiceDefinition OBJ =
      ServiceDefinition.virtualObject("Obj")
          .handler(
              "inc",
              Void.class,
              Integer.class,
              (ctx, v) -> {
                int c = ctx.get(COUNT).orElse(0) + 1;
                ctx.set(COUNT, c);
                return c;
              })
          .handler("keys", Void.class, String.class, (ctx, v) -> String.join(",", ctx.stateKeys()))
          .handler(
              "reset",
              Void.class,
              String.class,
              (ctx, v) -> {
                ctx.clear(COUNT);
                ctx.clearAll();
                return String.join(",", ctx.stateKeys());
              })
          .build();

  static final ServiceDefinition WF =
      ServiceDefinition.workflow("Wf")
          .workflow(
              "run",
              Void.class,
              String.class,
              (ctx, v) -> {
                Output<String> peek = ctx.promise(P).peek();
                ctx.promiseHandle(P).resolve("v");
                return peek.isReady() + ":" + ctx.promise(P).future().await();
              })
          .shared("await", Void.class, String.class, (ctx, v) -> ctx.promise(P).awaitable().await())
          .shared(
              "reject",
              Void.class,
              String.class,
              (ctx, v) -> {
                ctx.promiseHandle(P).reject("no");
                return "rejected";
              })
          .build();

  private static StartMessage.Builder objStart(int known) {
    return start(known).setKey("k1");
  }

  static List<ProtocolCase> all() {
    return List.of(
        ProtocolCase.named("greet", SVC, "greet")
            .send(f(start(1)), input("\"Alice\""))
            .expect(outputValue("\"Hello Alice\""), end())
            .build(),
        ProtocolCase.named("terminal error is the output", SVC, "terminal")
            .send(f(start(1)), input("\"x\""))
            .expect(outputFailure(409, "boom"), end())
            .build(),
        ProtocolCase.named("retryable error is an ErrorMessage without End", SVC, "retryable")
            .send(f(start(1)), input("\"x\""))
            .expect(f(ErrorMessage.newBuilder().setCode(500)))
            .build(),
        ProtocolCase.named("catch (Exception) cannot swallow suspension", SVC, "swallow")
            .send(f(start(1)), input(""))
            .closeInput()
            .expect(f(sleep(1, NOW + 1000, "")), suspension(List.of(1), List.of(1)))
            .build(),
        ProtocolCase.named("run proposes and suspends in request/response", SVC, "run")
            .send(f(start(1)), input(""))
            .closeInput()
            .expect(f(run(1, "a")), f(propose(1, "\"x\"")), suspension(List.of(1), List.of(1)))
            .build(),
        ProtocolCase.named("run proposal echoed in bidi", SVC, "run")
            .send(f(start(1)), input(""))
            .expect(f(run(1, "a")), f(propose(1, "\"x\"")))
            .send(notification(MessageType.RUN_COMPLETION, completion(1).setValue(value("\"x\""))))
            .expect(outputValue("\"x\""), end())
            .build(),
        ProtocolCase.named("run replayed with its result does not execute", SVC, "run")
            .send(
                f(start(3)),
                input(""),
                f(run(1, "a")),
                notification(
                    MessageType.RUN_COMPLETION, completion(1).setValue(value("\"replayed\""))))
            .expect(outputValue("\"replayed\""), end())
            .build(),
        ProtocolCase.named("run retryable failure asks for a retry with a delay", SVC, "runFlaky")
            .send(f(start(1)), input(""))
            .expect(
                f(run(1, "a")),
                f(
                    ErrorMessage.newBuilder()
                        .setCode(500)
                        .setRelatedCommandIndex(1)
                        .setRelatedCommandName("a")
                        .setRelatedCommandType(0x0411)
                        .setNextRetryDelay(50)))
            .build(),
        ProtocolCase.named(
                "run retry policy exhausted proposes a terminal failure", SVC, "runFlaky")
            .send(f(start(2).setRetryCountSinceLastStoredEntry(1)), input(""), f(run(1, "a")))
            .closeInput()
            .expect(
                f(
                    ProposeRunCompletionMessage.newBuilder()
                        .setResultCompletionId(1)
                        .setFailure(
                            Failure.newBuilder()
                                .setCode(500)
                                .setMessage(
                                    "ctx.run 'a' failed after 2 attempt(s), retry policy exhausted: "
                                        + "java.lang.IllegalStateException: flaky"))),
                suspension(List.of(1), List.of(1)))
            .build(),
        ProtocolCase.named("sleep suspends", SVC, "sleep")
            .send(f(start(1)), input(""))
            .closeInput()
            .expect(f(sleep(1, NOW + 1000, "")), suspension(List.of(1), List.of(1)))
            .build(),
        ProtocolCase.named("sleep replayed and completed", SVC, "sleep")
            .send(
                f(start(3)),
                input(""),
                f(sleep(1, 123, "")),
                notification(
                    MessageType.SLEEP_COMPLETION,
                    completion(1).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())))
            .expect(outputValue("\"woke\""), end())
            .build(),
        ProtocolCase.named("sleep completion arrives while streaming", SVC, "sleep")
            .send(f(start(1)), input(""))
            .expect(f(sleep(1, NOW + 1000, "")))
            .send(
                notification(
                    MessageType.SLEEP_COMPLETION,
                    completion(1).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())))
            .expect(outputValue("\"woke\""), end())
            .build(),
        ProtocolCase.named("call with key and idempotency key", SVC, "call")
            .send(f(start(1)), input("\"5\""))
            .expect(
                f(
                    CallCommandMessage.newBuilder()
                        .setServiceName("Obj")
                        .setHandlerName("add")
                        .setParameter(ByteString.copyFromUtf8("\"5\""))
                        .setKey("k1")
                        .setIdempotencyKey("ik")
                        .setInvocationIdNotificationIdx(1)
                        .setResultCompletionId(2)))
            .send(
                notification(
                    MessageType.CALL_INVOCATION_ID_COMPLETION,
                    completion(1).setInvocationId(CALLEE_ID)),
                notification(MessageType.CALL_COMPLETION, completion(2).setValue(value("\"r\""))))
            .expect(outputValue("\"r\""), end())
            .build(),
        ProtocolCase.named("call suspends on the result only", SVC, "call")
            .send(f(start(1)), input("\"5\""))
            .closeInput()
            .expect(
                f(
                    CallCommandMessage.newBuilder()
                        .setServiceName("Obj")
                        .setHandlerName("add")
                        .setParameter(ByteString.copyFromUtf8("\"5\""))
                        .setKey("k1")
                        .setIdempotencyKey("ik")
                        .setInvocationIdNotificationIdx(1)
                        .setResultCompletionId(2)),
                suspension(List.of(2), List.of(1)))
            .build(),
        ProtocolCase.named("delayed send", SVC, "send")
            .send(f(start(1)), input("\"m\""))
            .expect(
                f(
                    OneWayCallCommandMessage.newBuilder()
                        .setServiceName("Other")
                        .setHandlerName("h")
                        .setParameter(ByteString.copyFromUtf8("\"m\""))
                        .setInvokeTime(NOW + 5000)
                        .setInvocationIdNotificationIdx(1)),
                f(dev.resolute.protocol.pb.OutputCommandMessage.newBuilder().setValue(value(""))),
                end())
            .build(),
        ProtocolCase.named("awakeable suspends on signal 17", SVC, "awakeable")
            .send(f(start(1)), input(""))
            .closeInput()
            .expect(suspension(List.of(), List.of(1, 17)))
            .build(),
        ProtocolCase.named("awakeable completed by signal", SVC, "awakeable")
            .send(
                f(start(2)),
                input(""),
                notification(
                    MessageType.SIGNAL_NOTIFICATION,
                    NotificationTemplate.newBuilder()
                        .setSignalId(17)
                        .setValue(value("\"resolved!\""))))
            .expect(outputValue("\"resolved!\""), end())
            .build(),
        ProtocolCase.named("awakeable handle resolve and reject", SVC, "resolveAwakeable")
            .send(f(start(1)), input("\"" + awakeableId() + "\""))
            .expect(
                f(
                    CompleteAwakeableCommandMessage.newBuilder()
                        .setAwakeableId(awakeableId())
                        .setValue(value("\"yes\""))),
                f(
                    CompleteAwakeableCommandMessage.newBuilder()
                        .setAwakeableId(awakeableId())
                        .setFailure(Failure.newBuilder().setCode(500).setMessage("no"))),
                f(dev.resolute.protocol.pb.OutputCommandMessage.newBuilder().setValue(value(""))),
                end())
            .build(),
        ProtocolCase.named("invocation handle output, cancel, attach", SVC, "handle")
            .send(f(start(1)), input("\"" + CALLEE_ID + "\""))
            .expect(
                f(
                    GetInvocationOutputCommandMessage.newBuilder()
                        .setInvocationId(CALLEE_ID)
                        .setResultCompletionId(1)))
            .send(
                notification(
                    MessageType.GET_INVOCATION_OUTPUT_COMPLETION,
                    completion(1).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())))
            .expect(
                f(
                    SendSignalCommandMessage.newBuilder()
                        .setTargetInvocationId(CALLEE_ID)
                        .setIdx(1)
                        .setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())),
                f(
                    AttachInvocationCommandMessage.newBuilder()
                        .setInvocationId(CALLEE_ID)
                        .setResultCompletionId(2)))
            .send(
                notification(
                    MessageType.ATTACH_INVOCATION_COMPLETION,
                    completion(2)
                        .setFailure(Failure.newBuilder().setCode(409).setMessage("Cancelled"))))
            .expect(outputFailure(409, "Cancelled"), end())
            .build(),
        ProtocolCase.named("select: first completed in journal order wins", SVC, "race")
            .send(
                f(start(5)),
                input(""),
                f(sleep(1, 1, "a")),
                f(sleep(2, 2, "b")),
                notification(
                    MessageType.SLEEP_COMPLETION,
                    completion(2).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())),
                notification(
                    MessageType.SLEEP_COMPLETION,
                    completion(1).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())))
            .expect(outputValue("\"b\""), end())
            .build(),
        ProtocolCase.named("all suspends on every pending timer", SVC, "all")
            .send(f(start(1)), input(""))
            .closeInput()
            .expect(
                f(sleep(1, NOW + 1000, "")),
                f(sleep(2, NOW + 2000, "")),
                suspension(List.of(1, 2), List.of(1)))
            .build(),
        ProtocolCase.named("await with timeout fires", SVC, "timeout")
            .send(f(start(1)), input(""))
            .expect(f(sleep(1, NOW + 1000, "")))
            .send(
                notification(
                    MessageType.SLEEP_COMPLETION,
                    completion(1).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())))
            .expect(outputValue("\"timeout 408\""), end())
            .build(),
        ProtocolCase.named("deterministic random from the start seed", SVC, "random")
            .send(f(start(1)), input(""))
            .expect(
                outputValue(
                    Integer.toString(new dev.resolute.sdk.RestateRandom(42) {}.nextInt(1000))),
                end())
            .build(),
        ProtocolCase.named("request: invocation id, seed, headers, body", SVC, "request")
            .send(
                f(start(1)),
                f(
                    dev.resolute.protocol.pb.InputCommandMessage.newBuilder()
                        .setValue(value("\"abc\""))
                        .addHeaders(
                            dev.resolute.protocol.pb.Header.newBuilder()
                                .setKey("x-h")
                                .setValue("v"))))
            .expect(outputValue("\"" + Frames.INVOCATION_ID + " 42 v 5 seed guarded\""), end())
            .build(),
        ProtocolCase.named("cancellation surfaces as terminal 409", SVC, "sleep")
            .send(
                f(start(2)),
                input(""),
                notification(
                    MessageType.SIGNAL_NOTIFICATION,
                    NotificationTemplate.newBuilder()
                        .setSignalId(1)
                        .setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())))
            .expect(f(sleep(1, NOW + 1000, "")), outputFailure(409, "Cancelled"), end())
            .build(),
        ProtocolCase.named("journal mismatch names the entry", SVC, "run")
            .send(f(start(2)), input(""), f(sleep(1, 5, "")))
            .expect(
                f(
                    ErrorMessage.newBuilder()
                        .setCode(570)
                        .setRelatedCommandIndex(1)
                        .setRelatedCommandName("a")
                        .setRelatedCommandType(0x0411)))
            .build(),
        ProtocolCase.named("first entry not Input is a protocol violation", SVC, "greet")
            .send(f(start(1)), f(run(1, "a")))
            .expect(f(ErrorMessage.newBuilder().setCode(571)))
            .build(),
        ProtocolCase.named("eager state present", OBJ, "inc")
            .send(
                f(
                    objStart(1)
                        .addStateMap(
                            StartMessage.StateEntry.newBuilder()
                                .setKey(ByteString.copyFromUtf8("count"))
                                .setValue(ByteString.copyFromUtf8("5")))),
                input(""))
            .expect(
                f(
                    GetEagerStateCommandMessage.newBuilder()
                        .setKey(ByteString.copyFromUtf8("count"))
                        .setValue(value("5"))),
                f(
                    SetStateCommandMessage.newBuilder()
                        .setKey(ByteString.copyFromUtf8("count"))
                        .setValue(value("6"))),
                outputValue("6"),
                end())
            .build(),
        ProtocolCase.named("eager state absent (complete map)", OBJ, "inc")
            .send(f(objStart(1)), input(""))
            .expect(
                f(
                    GetEagerStateCommandMessage.newBuilder()
                        .setKey(ByteString.copyFromUtf8("count"))
                        .setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())),
                f(
                    SetStateCommandMessage.newBuilder()
                        .setKey(ByteString.copyFromUtf8("count"))
                        .setValue(value("1"))),
                outputValue("1"),
                end())
            .build(),
        ProtocolCase.named("lazy state suspends", OBJ, "inc")
            .send(f(objStart(1).setPartialState(true)), input(""))
            .closeInput()
            .expect(
                f(
                    GetLazyStateCommandMessage.newBuilder()
                        .setKey(ByteString.copyFromUtf8("count"))
                        .setResultCompletionId(1)),
                suspension(List.of(1), List.of(1)))
            .build(),
        ProtocolCase.named("lazy state completion", OBJ, "inc")
            .send(f(objStart(1).setPartialState(true)), input(""))
            .expect(
                f(
                    GetLazyStateCommandMessage.newBuilder()
                        .setKey(ByteString.copyFromUtf8("count"))
                        .setResultCompletionId(1)))
            .send(
                notification(
                    MessageType.GET_LAZY_STATE_COMPLETION, completion(1).setValue(value("41"))))
            .expect(
                f(
                    SetStateCommandMessage.newBuilder()
                        .setKey(ByteString.copyFromUtf8("count"))
                        .setValue(value("42"))),
                outputValue("42"),
                end())
            .build(),
        ProtocolCase.named("replayed eager get returns the journaled value", OBJ, "inc")
            .send(
                f(objStart(2)),
                input(""),
                f(
                    GetEagerStateCommandMessage.newBuilder()
                        .setKey(ByteString.copyFromUtf8("count"))
                        .setValue(value("9"))))
            .expect(
                f(
                    SetStateCommandMessage.newBuilder()
                        .setKey(ByteString.copyFromUtf8("count"))
                        .setValue(value("10"))),
                outputValue("10"),
                end())
            .build(),
        ProtocolCase.named("lazy state keys suspend, then complete", OBJ, "keys")
            .send(f(objStart(1).setPartialState(true)), input(""))
            .expect(
                f(
                    dev.resolute.protocol.pb.GetLazyStateKeysCommandMessage.newBuilder()
                        .setResultCompletionId(1)))
            .send(
                notification(
                    MessageType.GET_LAZY_STATE_KEYS_COMPLETION,
                    completion(1)
                        .setStateKeys(
                            StateKeys.newBuilder()
                                .addKeys(ByteString.copyFromUtf8("a"))
                                .addKeys(ByteString.copyFromUtf8("b")))))
            .expect(outputValue("\"a,b\""), end())
            .build(),
        ProtocolCase.named("lazy state keys, input closed: suspension", OBJ, "keys")
            .send(f(objStart(1).setPartialState(true)), input(""))
            .closeInput()
            .expect(
                f(
                    dev.resolute.protocol.pb.GetLazyStateKeysCommandMessage.newBuilder()
                        .setResultCompletionId(1)),
                suspension(List.of(1), List.of(1)))
            .build(),
        ProtocolCase.named("replayed get and set: nothing is written again", OBJ, "inc")
            .send(
                f(objStart(3)),
                input(""),
                f(
                    GetEagerStateCommandMessage.newBuilder()
                        .setKey(ByteString.copyFromUtf8("count"))
                        .setValue(value("9"))),
                f(
                    SetStateCommandMessage.newBuilder()
                        .setKey(ByteString.copyFromUtf8("count"))
                        .setValue(value("10"))))
            .expect(outputValue("10"), end())
            .build(),
        ProtocolCase.named("replayed delayed send is not sent again", SVC, "send")
            .send(
                f(start(2)),
                input("\"m\""),
                f(
                    OneWayCallCommandMessage.newBuilder()
                        .setServiceName("Other")
                        .setHandlerName("h")
                        .setParameter(ByteString.copyFromUtf8("\"m\""))
                        .setInvokeTime(77)
                        .setInvocationIdNotificationIdx(1)))
            .expect(
                f(dev.resolute.protocol.pb.OutputCommandMessage.newBuilder().setValue(value(""))),
                end())
            .build(),
        ProtocolCase.named("clear, clearAll, state keys", OBJ, "reset")
            .send(
                f(
                    objStart(1)
                        .addStateMap(
                            StartMessage.StateEntry.newBuilder()
                                .setKey(ByteString.copyFromUtf8("count"))
                                .setValue(ByteString.copyFromUtf8("5")))),
                input(""))
            .expect(
                f(ClearStateCommandMessage.newBuilder().setKey(ByteString.copyFromUtf8("count"))),
                f(ClearAllStateCommandMessage.newBuilder()),
                f(GetEagerStateKeysCommandMessage.newBuilder().setValue(StateKeys.newBuilder())),
                outputValue("\"\""),
                end())
            .build(),
        ProtocolCase.named("workflow promise peek, complete, get", WF, "run")
            .send(f(objStart(1)), input(""))
            .expect(f(PeekPromiseCommandMessage.newBuilder().setKey("p").setResultCompletionId(1)))
            .send(
                notification(
                    MessageType.PEEK_PROMISE_COMPLETION,
                    completion(1).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())))
            .expect(
                f(
                    CompletePromiseCommandMessage.newBuilder()
                        .setKey("p")
                        .setCompletionValue(value("\"v\""))
                        .setResultCompletionId(2)))
            .send(
                notification(
                    MessageType.COMPLETE_PROMISE_COMPLETION,
                    completion(2).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())))
            .expect(f(GetPromiseCommandMessage.newBuilder().setKey("p").setResultCompletionId(3)))
            .send(
                notification(
                    MessageType.GET_PROMISE_COMPLETION, completion(3).setValue(value("\"v\""))))
            .expect(outputValue("\"false:v\""), end())
            .build(),
        ProtocolCase.named("promise get suspends until it is resolved", WF, "await")
            .send(f(objStart(1)), input(""))
            .closeInput()
            .expect(
                f(GetPromiseCommandMessage.newBuilder().setKey("p").setResultCompletionId(1)),
                suspension(List.of(1), List.of(1)))
            .build(),
        ProtocolCase.named("promise rejection replayed is a terminal error", WF, "await")
            .send(
                f(objStart(3)),
                input(""),
                f(GetPromiseCommandMessage.newBuilder().setKey("p").setResultCompletionId(1)),
                notification(
                    MessageType.GET_PROMISE_COMPLETION,
                    completion(1)
                        .setFailure(Failure.newBuilder().setCode(500).setMessage("rejected"))))
            .expect(outputFailure(500, "rejected"), end())
            .build(),
        ProtocolCase.named("completing a completed promise is a terminal error", WF, "reject")
            .send(f(objStart(1)), input(""))
            .expect(
                f(
                    CompletePromiseCommandMessage.newBuilder()
                        .setKey("p")
                        .setCompletionFailure(Failure.newBuilder().setCode(500).setMessage("no"))
                        .setResultCompletionId(1)))
            .send(
                notification(
                    MessageType.COMPLETE_PROMISE_COMPLETION,
                    completion(1)
                        .setFailure(
                            Failure.newBuilder()
                                .setCode(409)
                                .setMessage("promise already completed"))))
            .expect(outputFailure(409, "promise already completed"), end())
            .build(),
        ProtocolCase.named("bidi: input closed while waiting suspends", SVC, "sleep")
            .send(f(start(1)), input(""))
            .expect(f(sleep(1, NOW + 1000, "")))
            .closeInput()
            .expect(suspension(List.of(1), List.of(1)))
            .build(),
        ProtocolCase.named("call replayed with its completions", SVC, "call")
            .send(
                f(start(4)),
                input("\"5\""),
                f(
                    CallCommandMessage.newBuilder()
                        .setServiceName("Obj")
                        .setHandlerName("add")
                        .setParameter(ByteString.copyFromUtf8("\"5\""))
                        .setKey("k1")
                        .setIdempotencyKey("ik")
                        .setInvocationIdNotificationIdx(1)
                        .setResultCompletionId(2)),
                notification(
                    MessageType.CALL_INVOCATION_ID_COMPLETION,
                    completion(1).setInvocationId(CALLEE_ID)),
                notification(MessageType.CALL_COMPLETION, completion(2).setValue(value("\"r\""))))
            .expect(outputValue("\"r\""), end())
            .build(),
        ProtocolCase.named("runAsync proposes, then suspends on its completion", SVC, "runAsync")
            .send(f(start(1)), input(""))
            .closeInput()
            .expect(f(run(1, "a")), f(propose(1, "\"x\"")), suspension(List.of(1), List.of(1)))
            .build(),
        ProtocolCase.named("runAsync replayed and mapped", SVC, "runAsync")
            .send(
                f(start(3)),
                input(""),
                f(run(1, "a")),
                notification(MessageType.RUN_COMPLETION, completion(1).setValue(value("\"y\""))))
            .expect(outputValue("\"y!\""), end())
            .build(),
        ProtocolCase.named("call future: invocation id, cancel, mapped failure", SVC, "callHandle")
            .send(f(start(1)), input("\"5\""))
            .expect(
                f(
                    CallCommandMessage.newBuilder()
                        .setServiceName("Obj")
                        .setHandlerName("add")
                        .setParameter(ByteString.copyFromUtf8("\"5\""))
                        .setKey("k1")
                        .setInvocationIdNotificationIdx(1)
                        .setResultCompletionId(2)))
            .send(
                notification(
                    MessageType.CALL_INVOCATION_ID_COMPLETION,
                    completion(1).setInvocationId(CALLEE_ID)))
            .expect(
                f(
                    SendSignalCommandMessage.newBuilder()
                        .setTargetInvocationId(CALLEE_ID)
                        .setIdx(1)
                        .setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())))
            .send(
                notification(
                    MessageType.CALL_COMPLETION,
                    completion(2)
                        .setFailure(Failure.newBuilder().setCode(409).setMessage("Cancelled"))))
            .expect(outputValue("\"" + CALLEE_ID + ":failed 409\""), end())
            .build(),
        ProtocolCase.named(
                "any picks the rejected awakeable; map turns the failure into a value",
                SVC,
                "anyMapped")
            .send(
                f(start(3)),
                input(""),
                f(sleep(1, 5, "")),
                notification(
                    MessageType.SIGNAL_NOTIFICATION,
                    NotificationTemplate.newBuilder()
                        .setSignalId(17)
                        .setFailure(Failure.newBuilder().setCode(500).setMessage("no"))))
            .expect(outputValue("\"0:rejected no\""), end())
            .build(),
        ProtocolCase.named("select awaited with a timeout", SVC, "selectTimeout")
            .send(f(start(1)), input(""))
            .expect(f(sleep(1, NOW + 1000, "")))
            .send(
                notification(
                    MessageType.SLEEP_COMPLETION,
                    completion(1).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())))
            .expect(outputValue("\"timeout\""), end())
            .build());
  }

  static String awakeableId() {
    return AwakeableId.signal(InvocationId.parse(Frames.INVOCATION_ID), 17).toString();
  }

  static RunCommandMessage run(int id, String name) {
    return RunCommandMessage.newBuilder().setResultCompletionId(id).setName(name).build();
  }

  static ProposeRunCompletionMessage propose(int id, String json) {
    return ProposeRunCompletionMessage.newBuilder()
        .setResultCompletionId(id)
        .setValue(ByteString.copyFromUtf8(json))
        .build();
  }

  static SleepCommandMessage sleep(int id, long wakeUp, String name) {
    return SleepCommandMessage.newBuilder()
        .setResultCompletionId(id)
        .setWakeUpTime(wakeUp)
        .setName(name)
        .build();
  }
}
