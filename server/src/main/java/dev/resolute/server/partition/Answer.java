package dev.resolute.server.partition;

import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.SubmitResult;
import java.util.Optional;

/**
 * What the state machine answers a waiting ingress or admin request, one case per kind of answer.
 * {@link CoreDispatcher} takes each answer through the accessor of the case it expects (each case
 * overrides its own; the others throw {@link UnexpectedAnswer}), so no answer is ever cast; a
 * {@link Refused} answer completes the waiter exceptionally instead ({@link Replies}).
 */
public sealed interface Answer {
  /** The plain value a waiter of this answer receives (the dispatcher's future value). */
  Object value();

  /** A call's or an attach's result. */
  record Invoked(InvocationResult result) implements Answer {
    @Override
    public Object value() {
      return result;
    }

    @Override
    public InvocationResult invoked() {
      return result;
    }
  }

  /** A send was accepted (or had been before). */
  record Submitted(SubmitResult result) implements Answer {
    @Override
    public Object value() {
      return result;
    }

    @Override
    public SubmitResult submitted() {
      return result;
    }
  }

  /** The request is refused with an HTTP status (unknown invocation, wrong phase, ...). */
  record Refused(DispatchException error) implements Answer {
    @Override
    public Object value() {
      return error;
    }
  }

  /** The output of an invocation: empty while it has not completed. */
  record Output(Optional<InvocationResult> result) implements Answer {
    @Override
    public Object value() {
      return result;
    }

    @Override
    public Optional<InvocationResult> output() {
      return result;
    }
  }

  /**
   * A cancel: {@code atOnce} when the invocation had not started and is gone, else the signal was
   * delivered.
   */
  record Cancelled(boolean atOnce) implements Answer {
    @Override
    public Object value() {
      return atOnce;
    }

    @Override
    public boolean cancelled() {
      return atOnce;
    }
  }

  /** Done, with nothing to report (a kill, a signal or an awakeable completion). */
  record Done() implements Answer {
    static final Done INSTANCE = new Done();

    @Override
    public Object value() {
      return null;
    }

    @Override
    public void done() {}
  }

  /** An invocation-management operation (resume, pause, purge) succeeded with this HTTP status. */
  record Managed(int status) implements Answer {
    @Override
    public Object value() {
      return status;
    }

    @Override
    public int managed() {
      return status;
    }
  }

  default InvocationResult invoked() {
    throw new UnexpectedAnswer(this, Invoked.class);
  }

  default SubmitResult submitted() {
    throw new UnexpectedAnswer(this, Submitted.class);
  }

  default Optional<InvocationResult> output() {
    throw new UnexpectedAnswer(this, Output.class);
  }

  default boolean cancelled() {
    throw new UnexpectedAnswer(this, Cancelled.class);
  }

  default void done() {
    throw new UnexpectedAnswer(this, Done.class);
  }

  default int managed() {
    throw new UnexpectedAnswer(this, Managed.class);
  }

  /** The state machine answered a request with a case its kind of request never gets: a bug. */
  final class UnexpectedAnswer extends IllegalStateException {
    UnexpectedAnswer(Answer got, Class<? extends Answer> expected) {
      super("expected a " + expected.getSimpleName() + " answer, got " + got);
    }
  }
}
