package dev.resolute.sdk.internal.statemachine;

import dev.resolute.common.function.ThrowingFunction;
import dev.resolute.sdk.CallDurableFuture;
import dev.resolute.sdk.DurableFuture;
import dev.resolute.sdk.Select;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.sdk.common.TimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The implementation of {@link DurableFuture} and its combinators. */
public final class Futures {
  private Futures() {}

  /** A durable future over an {@link AsyncResult} of one invocation. */
  static class Impl<T> implements DurableFuture<T> {
    final HandlerContextImpl ctx;
    final AsyncResult<T> result;

    Impl(HandlerContextImpl ctx, AsyncResult<T> result) {
      this.ctx = ctx;
      this.result = result;
    }

    @Override
    public T await() {
      ctx.checkNotInRun("await");
      return ctx.sm().await(result);
    }

    @Override
    public T await(Duration timeout) {
      return withTimeout(timeout).await();
    }

    @Override
    public <U> DurableFuture<U> map(ThrowingFunction<T, U> mapper) {
      return new Impl<>(
          ctx, new AsyncResult.Mapped<>(result, v -> HandlerContextImpl.sneaky(mapper, v)));
    }

    @Override
    public <U> DurableFuture<U> map(
        ThrowingFunction<T, U> mapper, ThrowingFunction<TerminalException, U> failureMapper) {
      return new Impl<>(
          ctx,
          new AsyncResult.Recovered<>(
              result,
              v -> HandlerContextImpl.sneaky(mapper, v),
              e -> HandlerContextImpl.sneaky(failureMapper, e)));
    }

    @Override
    public DurableFuture<T> mapFailure(ThrowingFunction<TerminalException, T> failureMapper) {
      return map(ThrowingFunction.identity(), failureMapper);
    }

    @Override
    public DurableFuture<T> withTimeout(Duration timeout) {
      Impl<Void> timer = (Impl<Void>) ctx.timer(null, timeout);
      AsyncResult.Any any = new AsyncResult.Any(List.of(result, timer.result));
      List<AsyncResult<?>> both = List.of(result, timer.result);
      return new Impl<>(
          ctx,
          new AsyncResult.Mapped<>(
              any,
              idx -> {
                if (idx == 1) {
                  throw new TimeoutException(
                      "Timed out waiting for durable future after " + timeout);
                }
                @SuppressWarnings("unchecked")
                T v = ((AsyncResult<T>) both.get(0)).value(ctx.sm());
                return v;
              }));
    }
  }

  static final class CallImpl<T> extends Impl<T> implements CallDurableFuture<T> {
    private final DurableFuture<String> invocationId;

    CallImpl(HandlerContextImpl ctx, AsyncResult<T> result, DurableFuture<String> invocationId) {
      super(ctx, result);
      this.invocationId = invocationId;
    }

    @Override
    public String invocationId() {
      return invocationId.await();
    }

    @Override
    public void cancel() {
      ctx.cancelInvocation(invocationId());
    }
  }

  private static List<AsyncResult<?>> results(
      List<? extends DurableFuture<?>> futures, HandlerContextImpl[] ctx) {
    List<AsyncResult<?>> out = new ArrayList<>();
    for (DurableFuture<?> given : futures) {
      DurableFuture<?> f = given instanceof Select<?> s ? s.future() : given;
      if (!(f instanceof Impl<?> impl)) {
        throw new IllegalArgumentException("not a future of this SDK: " + f);
      }
      if (ctx[0] != null && ctx[0] != impl.ctx) {
        throw new IllegalArgumentException("futures of different invocations cannot be combined");
      }
      ctx[0] = impl.ctx;
      out.add(impl.result);
    }
    if (ctx[0] == null) {
      throw new IllegalArgumentException("no futures given");
    }
    return out;
  }

  public static DurableFuture<Void> all(List<? extends DurableFuture<?>> futures) {
    HandlerContextImpl[] ctx = new HandlerContextImpl[1];
    List<AsyncResult<?>> rs = results(futures, ctx);
    return new Impl<>(ctx[0], new AsyncResult.All(rs));
  }

  public static DurableFuture<Integer> any(List<? extends DurableFuture<?>> futures) {
    HandlerContextImpl[] ctx = new HandlerContextImpl[1];
    List<AsyncResult<?>> rs = results(futures, ctx);
    return new Impl<>(ctx[0], new AsyncResult.Any(rs));
  }

  public static <T> DurableFuture<T> select(
      List<DurableFuture<?>> futures, List<ThrowingFunction<Object, T>> mappers) {
    HandlerContextImpl[] ctx = new HandlerContextImpl[1];
    List<AsyncResult<?>> rs = results(futures, ctx);
    HandlerContextImpl c = ctx[0];
    Function<Integer, T> pick =
        idx -> HandlerContextImpl.sneaky(mappers.get(idx), rs.get(idx).value(c.sm()));
    return new Impl<>(c, new AsyncResult.Mapped<>(new AsyncResult.Any(rs), pick));
  }
}
