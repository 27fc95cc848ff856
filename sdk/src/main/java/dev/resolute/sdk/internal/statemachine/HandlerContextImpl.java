package dev.resolute.sdk.internal.statemachine;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.resolute.common.Output;
import dev.resolute.common.Request;
import dev.resolute.common.Slice;
import dev.resolute.common.function.ThrowingFunction;
import dev.resolute.common.function.ThrowingSupplier;
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
import dev.resolute.protocol.pb.FailureMetadata;
import dev.resolute.protocol.pb.GetInvocationOutputCommandMessage;
import dev.resolute.protocol.pb.GetPromiseCommandMessage;
import dev.resolute.protocol.pb.Header;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.PeekPromiseCommandMessage;
import dev.resolute.protocol.pb.ProposeRunCompletionMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.protocol.pb.SendSignalCommandMessage;
import dev.resolute.protocol.pb.SetStateCommandMessage;
import dev.resolute.protocol.pb.SleepCommandMessage;
import dev.resolute.protocol.pb.Value;
import dev.resolute.sdk.Awakeable;
import dev.resolute.sdk.AwakeableHandle;
import dev.resolute.sdk.CallDurableFuture;
import dev.resolute.sdk.DurableFuture;
import dev.resolute.sdk.DurablePromise;
import dev.resolute.sdk.DurablePromiseHandle;
import dev.resolute.sdk.InvocationHandle;
import dev.resolute.sdk.RestateRandom;
import dev.resolute.sdk.WorkflowContext;
import dev.resolute.sdk.common.DurablePromiseKey;
import dev.resolute.sdk.common.HandlerRequest;
import dev.resolute.sdk.common.RetryPolicy;
import dev.resolute.sdk.common.StateKey;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.serde.Serde;
import dev.resolute.serde.SerdeFactory;
import dev.resolute.serde.TypeTag;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one context implementation; handlers see it through the narrowest interface their kind
 * allows. Every operation goes through the {@link InvocationStateMachine}.
 */
public final class HandlerContextImpl implements WorkflowContext {
  private final InvocationStateMachine sm;
  private final SerdeFactory serdes;
  private final Clock clock;
  private final HandlerRequest request;
  private final List<long[]> pendingCalls = new ArrayList<>();
  private RestateRandom random;

  /** True on a thread while it executes a ctx.run closure (inline or on the run pool). */
  private static final ThreadLocal<Boolean> IN_RUN = ThreadLocal.withInitial(() -> Boolean.FALSE);

  /** Runs the closures of {@code runAsync}, so several can execute in parallel. */
  private static final java.util.concurrent.ExecutorService RUN_POOL =
      java.util.concurrent.Executors.newCachedThreadPool(
          new java.util.concurrent.ThreadFactory() {
            private final java.util.concurrent.atomic.AtomicInteger n =
                new java.util.concurrent.atomic.AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              Thread t = new Thread(r, "resolute-run-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            }
          });

  public HandlerContextImpl(InvocationStateMachine sm, SerdeFactory serdes, Clock clock) {
    this.sm = sm;
    this.serdes = serdes;
    this.clock = clock;
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : sm.input().getHeadersList()) {
      headers.put(h.getKey(), h.getValue());
    }
    Slice body = Slice.wrap(sm.input().getValue().getContent().toByteArray());
    this.request =
        new HandlerRequest(
            dev.resolute.sdk.common.InvocationId.of(sm.start().debugId(), sm.start().randomSeed()),
            body,
            headers);
    sm.setOnCancel(this::cancelChildren);
  }

  InvocationStateMachine sm() {
    return sm;
  }

  void checkNotInRun(String what) {
    if (IN_RUN.get()) {
      throw new IllegalStateException("cannot use the context (" + what + ") inside ctx.run");
    }
  }

  @SuppressWarnings("unchecked")
  static <E extends Throwable, T, R> R sneaky(ThrowingFunction<T, R> fn, T v) throws E {
    try {
      return fn.apply(v);
    } catch (Throwable t) {
      throw (E) t;
    }
  }

  private static Slice content(NotificationTemplate n) {
    return n.hasValue() ? Slice.wrap(n.getValue().getContent().toByteArray()) : Slice.EMPTY;
  }

  private static Value value(Slice s) {
    return Value.newBuilder().setContent(ByteString.copyFrom(s.unsafeArray())).build();
  }

  public static Failure failure(
      int code, String message, Map<String, String> metadata, int protocolVersion) {
    Failure.Builder f =
        Failure.newBuilder().setCode(code).setMessage(message == null ? "" : message);
    if (protocolVersion >= 6) {
      metadata.forEach((k, v) -> f.addMetadata(FailureMetadata.newBuilder().setKey(k).setValue(v)));
    }
    return f.build();
  }

  private <T> DurableFuture<T> future(AsyncResult<T> r) {
    return new Futures.Impl<>(this, r);
  }

  // ---------------------------------------------------------------- Context

  @Override
  public HandlerRequest request() {
    return request;
  }

  @Override
  public <T, R> CallDurableFuture<R> call(Request<T, R> req) {
    checkNotInRun("call");
    Serde<T> in = serdes.create(req.getRequestTypeTag());
    Serde<R> out = serdes.create(req.getResponseTypeTag());
    int idIdx = sm.nextCompletionId();
    int resIdx = sm.nextCompletionId();
    CallCommandMessage.Builder cmd =
        CallCommandMessage.newBuilder()
            .setServiceName(req.getTarget().getService())
            .setHandlerName(req.getTarget().getHandler())
            .setParameter(ByteString.copyFrom(in.serialize(req.getRequest()).unsafeArray()))
            .setInvocationIdNotificationIdx(idIdx)
            .setResultCompletionId(resIdx);
    req.getHeaders().forEach((k, v) -> cmd.addHeaders(Header.newBuilder().setKey(k).setValue(v)));
    if (req.getTarget().getKey() != null) {
      cmd.setKey(req.getTarget().getKey());
    }
    if (req.getIdempotencyKey() != null) {
      cmd.setIdempotencyKey(req.getIdempotencyKey());
    }
    sm.command(MessageType.CALL_COMMAND, cmd.build());
    pendingCalls.add(new long[] {idIdx, resIdx});
    AsyncResult<String> id =
        new AsyncResult.Leaf<>(
            new NotifId.Completion(idIdx), NotificationTemplate::getInvocationId);
    AsyncResult<R> result =
        new AsyncResult.Leaf<>(new NotifId.Completion(resIdx), n -> out.deserialize(content(n)));
    return new Futures.CallImpl<>(this, result, future(id));
  }

  /** On cancellation: propagate it to the calls still running whose invocation id is known. */
  private void cancelChildren() {
    for (long[] c : pendingCalls) {
      InvocationStateMachine.Taken id = sm.taken(new NotifId.Completion((int) c[0]));
      if (id != null && sm.taken(new NotifId.Completion((int) c[1])) == null) {
        sm.command(
            MessageType.SEND_SIGNAL_COMMAND,
            SendSignalCommandMessage.newBuilder()
                .setTargetInvocationId(id.notification().getInvocationId())
                .setIdx(1)
                .setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())
                .build());
      }
    }
  }

  @Override
  public <T, R> InvocationHandle<R> send(Request<T, R> req, Duration delay) {
    checkNotInRun("send");
    Serde<T> in = serdes.create(req.getRequestTypeTag());
    Serde<R> out = serdes.create(req.getResponseTypeTag());
    int idIdx = sm.nextCompletionId();
    OneWayCallCommandMessage.Builder cmd =
        OneWayCallCommandMessage.newBuilder()
            .setServiceName(req.getTarget().getService())
            .setHandlerName(req.getTarget().getHandler())
            .setParameter(ByteString.copyFrom(in.serialize(req.getRequest()).unsafeArray()))
            .setInvocationIdNotificationIdx(idIdx);
    if (delay != null && !delay.isZero() && !delay.isNegative()) {
      cmd.setInvokeTime(clock.millis() + delay.toMillis());
    }
    req.getHeaders().forEach((k, v) -> cmd.addHeaders(Header.newBuilder().setKey(k).setValue(v)));
    if (req.getTarget().getKey() != null) {
      cmd.setKey(req.getTarget().getKey());
    }
    if (req.getIdempotencyKey() != null) {
      cmd.setIdempotencyKey(req.getIdempotencyKey());
    }
    sm.command(MessageType.ONE_WAY_CALL_COMMAND, cmd.build());
    AsyncResult<String> id =
        new AsyncResult.Leaf<>(
            new NotifId.Completion(idIdx), NotificationTemplate::getInvocationId);
    return new Handle<>(future(id), out);
  }

  @Override
  public <R> InvocationHandle<R> invocationHandle(String invocationId, TypeTag<R> responseTypeTag) {
    return new Handle<>(
        future(new AsyncResult.Ready<>(invocationId, null)), serdes.create(responseTypeTag));
  }

  /** Sends the cancel signal (signal 1) to another invocation. */
  void cancelInvocation(String targetInvocationId) {
    checkNotInRun("cancel");
    sm.command(
        MessageType.SEND_SIGNAL_COMMAND,
        SendSignalCommandMessage.newBuilder()
            .setTargetInvocationId(targetInvocationId)
            .setIdx(1)
            .setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance())
            .build());
  }

  private final class Handle<R> implements InvocationHandle<R> {
    private final DurableFuture<String> id;
    private final Serde<R> serde;

    Handle(DurableFuture<String> id, Serde<R> serde) {
      this.id = id;
      this.serde = serde;
    }

    @Override
    public String invocationId() {
      return id.await();
    }

    @Override
    public void cancel() {
      cancelInvocation(invocationId());
    }

    @Override
    public DurableFuture<R> attach() {
      String target = invocationId();
      int idx = sm.nextCompletionId();
      sm.command(
          MessageType.ATTACH_INVOCATION_COMMAND,
          AttachInvocationCommandMessage.newBuilder()
              .setInvocationId(target)
              .setResultCompletionId(idx)
              .build());
      return future(
          new AsyncResult.Leaf<>(new NotifId.Completion(idx), n -> serde.deserialize(content(n))));
    }

    @Override
    public Output<R> getOutput() {
      String target = invocationId();
      checkNotInRun("getOutput");
      int idx = sm.nextCompletionId();
      sm.command(
          MessageType.GET_INVOCATION_OUTPUT_COMMAND,
          GetInvocationOutputCommandMessage.newBuilder()
              .setInvocationId(target)
              .setResultCompletionId(idx)
              .build());
      return future(
              new AsyncResult.Leaf<>(
                  new NotifId.Completion(idx),
                  n ->
                      n.hasVoid()
                          ? Output.<R>notReady()
                          : Output.ready(serde.deserialize(content(n)))))
          .await();
    }
  }

  @Override
  public DurableFuture<Void> timer(String name, Duration duration) {
    checkNotInRun("timer");
    int idx = sm.nextCompletionId();
    SleepCommandMessage.Builder cmd =
        SleepCommandMessage.newBuilder()
            .setWakeUpTime(clock.millis() + Math.max(0, duration.toMillis()))
            .setResultCompletionId(idx);
    if (name != null) {
      cmd.setName(name);
    }
    sm.command(MessageType.SLEEP_COMMAND, cmd.build());
    return future(new AsyncResult.Leaf<>(new NotifId.Completion(idx), n -> null));
  }

  /** {@code ctx.run}: the closure runs inline on the handler thread, then the result is awaited. */
  @Override
  public <T> T run(
      String name, TypeTag<T> typeTag, RetryPolicy retryPolicy, ThrowingSupplier<T> action) {
    return startRun(name, typeTag, retryPolicy, action, false).await();
  }

  /**
   * {@code ctx.runAsync}: the closure runs on the run pool, so several runs execute in parallel;
   * its proposal is written when it finishes. Awaits that would suspend wait for running closures
   * first, so no proposal is lost.
   */
  @Override
  public <T> DurableFuture<T> runAsync(
      String name, TypeTag<T> typeTag, RetryPolicy retryPolicy, ThrowingSupplier<T> action) {
    return startRun(name, typeTag, retryPolicy, action, true);
  }

  private <T> DurableFuture<T> startRun(
      String name,
      TypeTag<T> typeTag,
      RetryPolicy retryPolicy,
      ThrowingSupplier<T> action,
      boolean parallel) {
    checkNotInRun("run");
    Serde<T> serde = serdes.create(typeTag);
    int idx = sm.nextCompletionId();
    RunCommandMessage.Builder cmd = RunCommandMessage.newBuilder().setResultCompletionId(idx);
    if (name != null) {
      cmd.setName(name);
    }
    MessageLite replayed = sm.command(MessageType.RUN_COMMAND, cmd.build());
    int runIndex = sm.commandIndex();
    AsyncResult<T> result =
        new AsyncResult.Leaf<>(new NotifId.Completion(idx), n -> serde.deserialize(content(n)));
    if (!sm.hasNotification(idx)) {
      boolean retried = replayed != null && sm.isProcessing();
      if (parallel) {
        sm.runStarted();
        try {
          RUN_POOL.execute(
              () -> {
                try {
                  execute(idx, runIndex, name, retried, serde, retryPolicy, action);
                } catch (ControlFlowSignal ended) {
                  // the attempt ended (this run failed retryably, or another path closed it): the
                  // handler sees it
                } finally {
                  sm.runFinished();
                }
              });
        } catch (RuntimeException e) {
          sm.runFinished();
          throw e;
        }
      } else {
        execute(idx, runIndex, name, retried, serde, retryPolicy, action);
      }
    }
    return future(result);
  }

  private <T> void execute(
      int idx,
      int runIndex,
      String name,
      boolean retried,
      Serde<T> serde,
      RetryPolicy policy,
      ThrowingSupplier<T> action) {
    ProposeRunCompletionMessage.Builder proposal =
        ProposeRunCompletionMessage.newBuilder().setResultCompletionId(idx);
    T value;
    IN_RUN.set(Boolean.TRUE);
    try {
      value = action.get();
    } catch (TerminalException e) {
      IN_RUN.set(Boolean.FALSE);
      sm.writeControl(
          MessageType.PROPOSE_RUN_COMPLETION,
          proposal
              .setFailure(
                  failure(e.getCode(), e.getMessage(), e.getMetadata(), sm.protocolVersion()))
              .build());
      return;
    } catch (ControlFlowSignal s) {
      throw s;
    } catch (Throwable t) {
      IN_RUN.set(Boolean.FALSE);
      int attempts = 1;
      Duration elapsed = Duration.ZERO;
      if (retried) {
        attempts += sm.start().retryCount();
        elapsed = Duration.ofMillis(sm.start().durationSinceLastStoredEntryMs());
      }
      Duration next = policy == null ? null : policy.nextDelay(attempts, elapsed);
      if (policy != null && next == null) {
        String msg =
            "ctx.run"
                + (name == null ? "" : " '" + name + "'")
                + " failed after "
                + attempts
                + " attempt(s), retry policy exhausted: "
                + t;
        sm.writeControl(
            MessageType.PROPOSE_RUN_COMPLETION,
            proposal
                .setFailure(
                    failure(
                        TerminalException.INTERNAL_SERVER_ERROR_CODE,
                        msg,
                        Map.of(),
                        sm.protocolVersion()))
                .build());
        return;
      }
      ErrorMessage.Builder err =
          ErrorMessage.newBuilder()
              .setCode(TerminalException.INTERNAL_SERVER_ERROR_CODE)
              .setMessage(String.valueOf(t))
              .setStacktrace(stackTrace(t))
              .setRelatedCommandIndex(runIndex)
              .setRelatedCommandType(MessageType.RUN_COMMAND.code());
      if (name != null) {
        err.setRelatedCommandName(name);
      }
      sm.writeError(err, next == null ? null : next.toMillis());
      throw new ControlFlowSignal("run failed, will be retried");
    } finally {
      IN_RUN.set(Boolean.FALSE);
    }
    sm.writeControl(
        MessageType.PROPOSE_RUN_COMPLETION,
        proposal.setValue(ByteString.copyFrom(serde.serialize(value).unsafeArray())).build());
  }

  public static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  @Override
  public <T> Awakeable<T> awakeable(TypeTag<T> typeTag) {
    checkNotInRun("awakeable");
    Serde<T> serde = serdes.create(typeTag);
    int signal = sm.nextSignalId();
    String id = AwakeableId.signal(InvocationId.fromBytes(sm.start().rawId()), signal).toString();
    AsyncResult<T> r =
        new AsyncResult.Leaf<>(new NotifId.Signal(signal), n -> serde.deserialize(content(n)));
    return new AwakeableImpl<>(this, r, id);
  }

  private static final class AwakeableImpl<T> extends Futures.Impl<T> implements Awakeable<T> {
    private final String id;

    AwakeableImpl(HandlerContextImpl ctx, AsyncResult<T> result, String id) {
      super(ctx, result);
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  @Override
  public AwakeableHandle awakeableHandle(String id) {
    return new AwakeableHandle() {
      @Override
      public <T> void resolve(TypeTag<T> typeTag, T payload) {
        checkNotInRun("awakeableHandle");
        Serde<T> serde = serdes.create(typeTag);
        sm.command(
            MessageType.COMPLETE_AWAKEABLE_COMMAND,
            CompleteAwakeableCommandMessage.newBuilder()
                .setAwakeableId(id)
                .setValue(value(serde.serialize(payload)))
                .build());
      }

      @Override
      public void reject(String reason) {
        checkNotInRun("awakeableHandle");
        sm.command(
            MessageType.COMPLETE_AWAKEABLE_COMMAND,
            CompleteAwakeableCommandMessage.newBuilder()
                .setAwakeableId(id)
                .setFailure(failure(500, reason, Map.of(), sm.protocolVersion()))
                .build());
      }
    };
  }

  @Override
  public RestateRandom random() {
    checkNotInRun("random");
    if (random == null) {
      random =
          new RestateRandom(sm.start().randomSeed()) {
            @Override
            protected int next(int bits) {
              checkNotInRun("random");
              return super.next(bits);
            }
          };
    }
    return random;
  }

  // ---------------------------------------------------------------- state

  @Override
  public String key() {
    return sm.start().key();
  }

  @Override
  public <T> Optional<T> get(StateKey<T> key) {
    checkNotInRun("get");
    Serde<T> serde = serdes.create(key.serdeInfo());
    Optional<ByteString> raw = sm.await(sm.getState(ByteString.copyFromUtf8(key.name())));
    return raw.map(b -> serde.deserialize(Slice.wrap(b.toByteArray())));
  }

  @Override
  public Collection<String> stateKeys() {
    checkNotInRun("stateKeys");
    return sm.await(sm.getStateKeys());
  }

  @Override
  public <T> void set(StateKey<T> key, T value) {
    checkNotInRun("set");
    Serde<T> serde = serdes.create(key.serdeInfo());
    ByteString k = ByteString.copyFromUtf8(key.name());
    Value v = value(serde.serialize(value));
    sm.command(
        MessageType.SET_STATE_COMMAND,
        SetStateCommandMessage.newBuilder().setKey(k).setValue(v).build());
    sm.state().put(k, v.getContent());
  }

  @Override
  public void clear(StateKey<?> key) {
    checkNotInRun("clear");
    ByteString k = ByteString.copyFromUtf8(key.name());
    sm.command(
        MessageType.CLEAR_STATE_COMMAND, ClearStateCommandMessage.newBuilder().setKey(k).build());
    sm.state().remove(k);
  }

  @Override
  public void clearAll() {
    checkNotInRun("clearAll");
    sm.command(
        MessageType.CLEAR_ALL_STATE_COMMAND, ClearAllStateCommandMessage.getDefaultInstance());
    sm.state().clear();
    sm.markStateComplete();
  }

  // ---------------------------------------------------------------- promises

  @Override
  public <T> DurablePromise<T> promise(DurablePromiseKey<T> key) {
    Serde<T> serde = serdes.create(key.serdeInfo());
    return new DurablePromise<>() {
      @Override
      public DurableFuture<T> future() {
        checkNotInRun("promise");
        int idx = sm.nextCompletionId();
        sm.command(
            MessageType.GET_PROMISE_COMMAND,
            GetPromiseCommandMessage.newBuilder()
                .setKey(key.name())
                .setResultCompletionId(idx)
                .build());
        return HandlerContextImpl.this.future(
            new AsyncResult.Leaf<>(
                new NotifId.Completion(idx), n -> serde.deserialize(content(n))));
      }

      @Override
      public Output<T> peek() {
        checkNotInRun("promise");
        int idx = sm.nextCompletionId();
        sm.command(
            MessageType.PEEK_PROMISE_COMMAND,
            PeekPromiseCommandMessage.newBuilder()
                .setKey(key.name())
                .setResultCompletionId(idx)
                .build());
        return HandlerContextImpl.this
            .future(
                new AsyncResult.Leaf<>(
                    new NotifId.Completion(idx),
                    n ->
                        n.hasVoid()
                            ? Output.<T>notReady()
                            : Output.ready(serde.deserialize(content(n)))))
            .await();
      }
    };
  }

  @Override
  public <T> DurablePromiseHandle<T> promiseHandle(DurablePromiseKey<T> key) {
    Serde<T> serde = serdes.create(key.serdeInfo());
    return new DurablePromiseHandle<>() {
      @Override
      public void resolve(T payload) {
        complete(
            CompletePromiseCommandMessage.newBuilder()
                .setCompletionValue(value(serde.serialize(payload))));
      }

      @Override
      public void reject(String reason) {
        complete(
            CompletePromiseCommandMessage.newBuilder()
                .setCompletionFailure(failure(500, reason, Map.of(), sm.protocolVersion())));
      }

      private void complete(CompletePromiseCommandMessage.Builder cmd) {
        checkNotInRun("promiseHandle");
        int idx = sm.nextCompletionId();
        sm.command(
            MessageType.COMPLETE_PROMISE_COMMAND,
            cmd.setKey(key.name()).setResultCompletionId(idx).build());
        sm.await(new AsyncResult.Leaf<Void>(new NotifId.Completion(idx), n -> null));
      }
    };
  }
}
