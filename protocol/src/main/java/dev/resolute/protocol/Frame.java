package dev.resolute.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;

/**
 * One decoded frame of the service protocol: the 16-bit type code, the flags and the protobuf
 * payload. {@link #type()} is {@code null} for codes this implementation does not know.
 */
public record Frame(int code, int flags, byte[] payload) {

  /** REQUESTED_ACK: the top bit of the 16-bit flags field. */
  public static final int FLAG_REQUESTED_ACK = 0x8000;

  public MessageType type() {
    return MessageType.fromCode(code);
  }

  public boolean requestedAck() {
    return (flags & FLAG_REQUESTED_ACK) != 0;
  }

  /** Parses the payload with the parser of its type. */
  public MessageLite message() throws ProtocolException {
    MessageType t = type();
    if (t == null) {
      throw new ProtocolException(String.format("unknown message type 0x%04X", code));
    }
    try {
      return t.parse(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("cannot decode " + t + ": " + e.getMessage(), e);
    }
  }

  public static Frame of(MessageType type, MessageLite message) {
    return new Frame(type.code(), 0, message.toByteArray());
  }

  public static Frame of(MessageLite message) {
    return of(MessageType.of(message), message);
  }
}
