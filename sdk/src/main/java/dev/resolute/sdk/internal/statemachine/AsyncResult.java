package dev.resolute.sdk.internal.statemachine;

import dev.resolute.protocol.pb.Failure;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.sdk.common.TerminalException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A tree of pending results evaluated against the notifications the state machine has taken in.
 * Every completion has a sequence number (journal order of the notification), so "which completed
 * first" is the same live and on replay. Evaluated under the state machine's lock.
 */
abstract class AsyncResult<T> {

  /** Sequence number of the completion, or -1 if not completed. */
  abstract long completedAt(InvocationStateMachine sm);

  /** Whether it completed with a failure. Only meaningful once completed. */
  abstract boolean failed(InvocationStateMachine sm);

  /** The value; throws the terminal failure. Only once completed. */
  abstract T value(InvocationStateMachine sm);

  /** Adds the notification ids this result still waits for. */
  abstract void pendingIds(InvocationStateMachine sm, Set<NotifId> out);

  final boolean isDone(InvocationStateMachine sm) {
    return completedAt(sm) >= 0;
  }

  static TerminalException toException(Failure f) {
    Map<String, String> md = new HashMap<>();
    f.getMetadataList().forEach(m -> md.put(m.getKey(), m.getValue()));
    return new TerminalException(f.getCode(), f.getMessage(), md);
  }

  /** Completed by one notification. */
  static final class Leaf<T> extends AsyncResult<T> {
    final NotifId id;
    private final Function<NotificationTemplate, T> mapper;

    Leaf(NotifId id, Function<NotificationTemplate, T> mapper) {
      this.id = id;
      this.mapper = mapper;
    }

    @Override
    long completedAt(InvocationStateMachine sm) {
      InvocationStateMachine.Taken t = sm.taken(id);
      return t == null ? -1 : t.seq();
    }

    @Override
    boolean failed(InvocationStateMachine sm) {
      return sm.taken(id).notification().hasFailure();
    }

    @Override
    T value(InvocationStateMachine sm) {
      NotificationTemplate n = sm.taken(id).notification();
      if (n.hasFailure()) {
        throw toException(n.getFailure());
      }
      return mapper.apply(n);
    }

    @Override
    void pendingIds(InvocationStateMachine sm, Set<NotifId> out) {
      if (sm.taken(id) == null) {
        out.add(id);
      }
    }
  }

  /** Known without waiting (eager state, a locally known value). */
  static final class Ready<T> extends AsyncResult<T> {
    private final T value;
    private final TerminalException failure;

    Ready(T value, TerminalException failure) {
      this.value = value;
      this.failure = failure;
    }

    @Override
    long completedAt(InvocationStateMachine sm) {
      return 0;
    }

    @Override
    boolean failed(InvocationStateMachine sm) {
      return failure != null;
    }

    @Override
    T value(InvocationStateMachine sm) {
      if (failure != null) {
        throw failure;
      }
      return value;
    }

    @Override
    void pendingIds(InvocationStateMachine sm, Set<NotifId> out) {}
  }

  static final class Mapped<S, T> extends AsyncResult<T> {
    private final AsyncResult<S> source;
    private final Function<S, T> fn;

    Mapped(AsyncResult<S> source, Function<S, T> fn) {
      this.source = source;
      this.fn = fn;
    }

    @Override
    long completedAt(InvocationStateMachine sm) {
      return source.completedAt(sm);
    }

    @Override
    boolean failed(InvocationStateMachine sm) {
      return source.failed(sm);
    }

    @Override
    T value(InvocationStateMachine sm) {
      return fn.apply(source.value(sm));
    }

    @Override
    void pendingIds(InvocationStateMachine sm, Set<NotifId> out) {
      source.pendingIds(sm, out);
    }
  }

  /**
   * A source mapped on success and on terminal failure; it counts as failed only when the failure
   * mapper throws a terminal exception itself.
   */
  static final class Recovered<S, T> extends AsyncResult<T> {
    private final AsyncResult<S> source;
    private final Function<S, T> onSuccess;
    private final Function<TerminalException, T> onFailure;

    Recovered(
        AsyncResult<S> source, Function<S, T> onSuccess, Function<TerminalException, T> onFailure) {
      this.source = source;
      this.onSuccess = onSuccess;
      this.onFailure = onFailure;
    }

    @Override
    long completedAt(InvocationStateMachine sm) {
      return source.completedAt(sm);
    }

    @Override
    boolean failed(InvocationStateMachine sm) {
      if (!source.failed(sm)) {
        return false;
      }
      try {
        value(sm);
        return false;
      } catch (TerminalException e) {
        return true;
      }
    }

    @Override
    T value(InvocationStateMachine sm) {
      S v;
      try {
        v = source.value(sm);
      } catch (TerminalException e) {
        return onFailure.apply(e);
      }
      return onSuccess.apply(v);
    }

    @Override
    void pendingIds(InvocationStateMachine sm, Set<NotifId> out) {
      source.pendingIds(sm, out);
    }
  }

  /** All succeeded (completes at the last), or the first failure (completes at it). */
  static final class All extends AsyncResult<Void> {
    private final List<AsyncResult<?>> children;

    All(List<AsyncResult<?>> children) {
      this.children = new ArrayList<>(children);
    }

    @Override
    long completedAt(InvocationStateMachine sm) {
      long max = 0;
      long firstFailure = Long.MAX_VALUE;
      boolean allDone = true;
      for (AsyncResult<?> c : children) {
        long at = c.completedAt(sm);
        if (at < 0) {
          allDone = false;
        } else {
          max = Math.max(max, at);
          if (c.failed(sm)) {
            firstFailure = Math.min(firstFailure, at);
          }
        }
      }
      if (firstFailure != Long.MAX_VALUE) {
        return firstFailure;
      }
      return allDone ? max : -1;
    }

    @Override
    boolean failed(InvocationStateMachine sm) {
      return children.stream().anyMatch(c -> c.isDone(sm) && c.failed(sm));
    }

    @Override
    Void value(InvocationStateMachine sm) {
      AsyncResult<?> first = null;
      for (AsyncResult<?> c : children) {
        if (c.isDone(sm)
            && c.failed(sm)
            && (first == null || c.completedAt(sm) < first.completedAt(sm))) {
          first = c;
        }
      }
      if (first != null) {
        first.value(sm);
      }
      return null;
    }

    @Override
    void pendingIds(InvocationStateMachine sm, Set<NotifId> out) {
      children.forEach(c -> c.pendingIds(sm, out));
    }
  }

  /** The index of the first child to complete (in journal order). */
  static final class Any extends AsyncResult<Integer> {
    private final List<AsyncResult<?>> children;

    Any(List<AsyncResult<?>> children) {
      this.children = new ArrayList<>(children);
    }

    int winner(InvocationStateMachine sm) {
      int best = -1;
      long bestAt = Long.MAX_VALUE;
      for (int i = 0; i < children.size(); i++) {
        long at = children.get(i).completedAt(sm);
        if (at >= 0 && at < bestAt) {
          best = i;
          bestAt = at;
        }
      }
      return best;
    }

    @Override
    long completedAt(InvocationStateMachine sm) {
      int w = winner(sm);
      return w < 0 ? -1 : children.get(w).completedAt(sm);
    }

    @Override
    boolean failed(InvocationStateMachine sm) {
      return false;
    }

    @Override
    Integer value(InvocationStateMachine sm) {
      return winner(sm);
    }

    @Override
    void pendingIds(InvocationStateMachine sm, Set<NotifId> out) {
      children.forEach(c -> c.pendingIds(sm, out));
    }
  }
}
