package dev.resolute.server.log;

/**
 * A leader's append refused because a newer leader of the partition opened its writer, which fenced
 * this node's (transactional fencing, see {@link KafkaLog}). The log goes on; the records were not
 * appended and never will be.
 */
public final class LeaderFencedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  LeaderFencedException(String message, Throwable cause) {
    super(message, cause);
  }
}
