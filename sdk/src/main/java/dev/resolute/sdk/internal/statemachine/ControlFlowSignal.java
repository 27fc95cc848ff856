package dev.resolute.sdk.internal.statemachine;

/**
 * Unwinds user code after the attempt ended (suspended, failed, aborted). Extends {@link Error} so
 * that {@code catch (Exception e)} in user code does not swallow it; the runner also re-checks the
 * state machine after user code returns, so even {@code catch (Throwable t)} cannot resurrect an
 * ended attempt.
 */
public final class ControlFlowSignal extends Error {
  public ControlFlowSignal(String reason) {
    super(reason, null, false, false);
  }
}
