package dev.resolute.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.resolute.protocol.pb.*;

/**
 * Every message type of service protocol V5/V6 (and the V7 additions), with its 16-bit code and
 * protobuf parser. Notifications all share {@link NotificationTemplate}.
 */
public enum MessageType {
  START(0x0000, StartMessage.parser()),
  SUSPENSION(0x0001, SuspensionMessage.parser()),
  ERROR(0x0002, ErrorMessage.parser()),
  END(0x0003, EndMessage.parser()),
  COMMAND_ACK(0x0004, CommandAckMessage.parser()),
  PROPOSE_RUN_COMPLETION(0x0005, ProposeRunCompletionMessage.parser()),
  AWAITING_ON(0x0006, AwaitingOnMessage.parser()),
  PROPOSE_RUN_COMPLETION_ACK(0x0007, ProposeRunCompletionAckMessage.parser()),

  INPUT_COMMAND(0x0400, InputCommandMessage.parser()),
  OUTPUT_COMMAND(0x0401, OutputCommandMessage.parser()),
  GET_LAZY_STATE_COMMAND(0x0402, GetLazyStateCommandMessage.parser()),
  SET_STATE_COMMAND(0x0403, SetStateCommandMessage.parser()),
  CLEAR_STATE_COMMAND(0x0404, ClearStateCommandMessage.parser()),
  CLEAR_ALL_STATE_COMMAND(0x0405, ClearAllStateCommandMessage.parser()),
  GET_LAZY_STATE_KEYS_COMMAND(0x0406, GetLazyStateKeysCommandMessage.parser()),
  GET_EAGER_STATE_COMMAND(0x0407, GetEagerStateCommandMessage.parser()),
  GET_EAGER_STATE_KEYS_COMMAND(0x0408, GetEagerStateKeysCommandMessage.parser()),
  GET_PROMISE_COMMAND(0x0409, GetPromiseCommandMessage.parser()),
  PEEK_PROMISE_COMMAND(0x040A, PeekPromiseCommandMessage.parser()),
  COMPLETE_PROMISE_COMMAND(0x040B, CompletePromiseCommandMessage.parser()),
  SLEEP_COMMAND(0x040C, SleepCommandMessage.parser()),
  CALL_COMMAND(0x040D, CallCommandMessage.parser()),
  ONE_WAY_CALL_COMMAND(0x040E, OneWayCallCommandMessage.parser()),
  SEND_SIGNAL_COMMAND(0x0410, SendSignalCommandMessage.parser()),
  RUN_COMMAND(0x0411, RunCommandMessage.parser()),
  ATTACH_INVOCATION_COMMAND(0x0412, AttachInvocationCommandMessage.parser()),
  GET_INVOCATION_OUTPUT_COMMAND(0x0413, GetInvocationOutputCommandMessage.parser()),
  COMPLETE_AWAKEABLE_COMMAND(0x0414, CompleteAwakeableCommandMessage.parser()),

  GET_LAZY_STATE_COMPLETION(0x8002, NotificationTemplate.parser()),
  GET_LAZY_STATE_KEYS_COMPLETION(0x8006, NotificationTemplate.parser()),
  GET_PROMISE_COMPLETION(0x8009, NotificationTemplate.parser()),
  PEEK_PROMISE_COMPLETION(0x800A, NotificationTemplate.parser()),
  COMPLETE_PROMISE_COMPLETION(0x800B, NotificationTemplate.parser()),
  SLEEP_COMPLETION(0x800C, NotificationTemplate.parser()),
  CALL_COMPLETION(0x800D, NotificationTemplate.parser()),
  CALL_INVOCATION_ID_COMPLETION(0x800E, NotificationTemplate.parser()),
  RUN_COMPLETION(0x8011, NotificationTemplate.parser()),
  ATTACH_INVOCATION_COMPLETION(0x8012, NotificationTemplate.parser()),
  GET_INVOCATION_OUTPUT_COMPLETION(0x8013, NotificationTemplate.parser()),
  SIGNAL_NOTIFICATION(0xFBFF, NotificationTemplate.parser());

  private final int code;
  private final Parser<? extends MessageLite> parser;

  private static final MessageType[] BY_CODE = new MessageType[0x10000];

  static {
    for (MessageType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  MessageType(int code, Parser<? extends MessageLite> parser) {
    this.code = code;
    this.parser = parser;
  }

  public int code() {
    return code;
  }

  public boolean isCommand() {
    return code >= 0x0400 && code < 0x8000;
  }

  public boolean isNotification() {
    return code >= 0x8000 && code < 0xFC00;
  }

  public boolean isControl() {
    return code < 0x0400;
  }

  public MessageLite parse(byte[] bytes) throws InvalidProtocolBufferException {
    return parser.parseFrom(bytes);
  }

  /** The type for a code, or {@code null} when the code is unknown (custom entries included). */
  public static MessageType fromCode(int code) {
    if (code < 0 || code > 0xFFFF) {
      return null;
    }
    return BY_CODE[code];
  }

  /** The notification type that completes the given completable command type. */
  public MessageType completionType() {
    switch (this) {
      case GET_LAZY_STATE_COMMAND:
        return GET_LAZY_STATE_COMPLETION;
      case GET_LAZY_STATE_KEYS_COMMAND:
        return GET_LAZY_STATE_KEYS_COMPLETION;
      case GET_PROMISE_COMMAND:
        return GET_PROMISE_COMPLETION;
      case PEEK_PROMISE_COMMAND:
        return PEEK_PROMISE_COMPLETION;
      case COMPLETE_PROMISE_COMMAND:
        return COMPLETE_PROMISE_COMPLETION;
      case SLEEP_COMMAND:
        return SLEEP_COMPLETION;
      case CALL_COMMAND:
        return CALL_COMPLETION;
      case RUN_COMMAND:
        return RUN_COMPLETION;
      case ATTACH_INVOCATION_COMMAND:
        return ATTACH_INVOCATION_COMPLETION;
      case GET_INVOCATION_OUTPUT_COMMAND:
        return GET_INVOCATION_OUTPUT_COMPLETION;
      default:
        return null;
    }
  }

  /** The type of a message instance (notifications are ambiguous and must be typed explicitly). */
  public static MessageType of(MessageLite m) {
    if (m instanceof StartMessage) return START;
    if (m instanceof SuspensionMessage) return SUSPENSION;
    if (m instanceof ErrorMessage) return ERROR;
    if (m instanceof EndMessage) return END;
    if (m instanceof CommandAckMessage) return COMMAND_ACK;
    if (m instanceof ProposeRunCompletionMessage) return PROPOSE_RUN_COMPLETION;
    if (m instanceof AwaitingOnMessage) return AWAITING_ON;
    if (m instanceof ProposeRunCompletionAckMessage) return PROPOSE_RUN_COMPLETION_ACK;
    if (m instanceof InputCommandMessage) return INPUT_COMMAND;
    if (m instanceof OutputCommandMessage) return OUTPUT_COMMAND;
    if (m instanceof GetLazyStateCommandMessage) return GET_LAZY_STATE_COMMAND;
    if (m instanceof SetStateCommandMessage) return SET_STATE_COMMAND;
    if (m instanceof ClearStateCommandMessage) return CLEAR_STATE_COMMAND;
    if (m instanceof ClearAllStateCommandMessage) return CLEAR_ALL_STATE_COMMAND;
    if (m instanceof GetLazyStateKeysCommandMessage) return GET_LAZY_STATE_KEYS_COMMAND;
    if (m instanceof GetEagerStateCommandMessage) return GET_EAGER_STATE_COMMAND;
    if (m instanceof GetEagerStateKeysCommandMessage) return GET_EAGER_STATE_KEYS_COMMAND;
    if (m instanceof GetPromiseCommandMessage) return GET_PROMISE_COMMAND;
    if (m instanceof PeekPromiseCommandMessage) return PEEK_PROMISE_COMMAND;
    if (m instanceof CompletePromiseCommandMessage) return COMPLETE_PROMISE_COMMAND;
    if (m instanceof SleepCommandMessage) return SLEEP_COMMAND;
    if (m instanceof CallCommandMessage) return CALL_COMMAND;
    if (m instanceof OneWayCallCommandMessage) return ONE_WAY_CALL_COMMAND;
    if (m instanceof SendSignalCommandMessage) return SEND_SIGNAL_COMMAND;
    if (m instanceof RunCommandMessage) return RUN_COMMAND;
    if (m instanceof AttachInvocationCommandMessage) return ATTACH_INVOCATION_COMMAND;
    if (m instanceof GetInvocationOutputCommandMessage) return GET_INVOCATION_OUTPUT_COMMAND;
    if (m instanceof CompleteAwakeableCommandMessage) return COMPLETE_AWAKEABLE_COMMAND;
    throw new IllegalArgumentException(
        "message type is ambiguous or unknown: " + m.getClass().getName());
  }
}
