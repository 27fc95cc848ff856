package dev.resolute.sdk.internal.statemachine;

import dev.resolute.protocol.pb.NotificationTemplate;

/** How a notification is matched to its awaiter: completion id, signal index or signal name. */
sealed interface NotifId {
  record Completion(int id) implements NotifId {}

  record Signal(int idx) implements NotifId {}

  record NamedSignal(String name) implements NotifId {}

  NotifId CANCEL = new Signal(1);

  static NotifId of(NotificationTemplate n) {
    switch (n.getIdCase()) {
      case COMPLETION_ID:
        return new Completion(n.getCompletionId());
      case SIGNAL_ID:
        return new Signal(n.getSignalId());
      case SIGNAL_NAME:
        return new NamedSignal(n.getSignalName());
      default:
        throw new ProtocolViolation("notification without id");
    }
  }
}
