package dev.resolute.protocol;

/**
 * A frame header declared a message longer than the reader's limit. Thrown as soon as the 8-byte
 * header is read, before any of the message is buffered.
 */
public final class MessageTooLargeException extends ProtocolException {
  private final long size;
  private final long limit;

  public MessageTooLargeException(long size, long limit) {
    super("message of " + size + " bytes exceeds the limit of " + limit);
    this.size = size;
    this.limit = limit;
  }

  /** The length the frame header declared. */
  public long size() {
    return size;
  }

  public long limit() {
    return limit;
  }
}
