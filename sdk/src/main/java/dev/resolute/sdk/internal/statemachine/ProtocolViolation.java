package dev.resolute.sdk.internal.statemachine;

/** The peer broke the protocol (reported as ErrorMessage code 571). */
final class ProtocolViolation extends RuntimeException {
  ProtocolViolation(String message) {
    super(message);
  }
}
