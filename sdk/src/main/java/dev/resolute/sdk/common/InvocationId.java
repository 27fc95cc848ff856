package dev.resolute.sdk.common;

/** The id of an invocation; {@link #toString()} gives its {@code inv_…} form. */
public interface InvocationId {

  /**
   * The seed {@code ctx.random()} uses for this invocation (from the server, the same on every
   * attempt).
   */
  long toRandomSeed();

  @Override
  String toString();

  /** An id with its string form and random seed. */
  static InvocationId of(String id, long randomSeed) {
    return new InvocationId() {
      @Override
      public long toRandomSeed() {
        return randomSeed;
      }

      @Override
      public String toString() {
        return id;
      }

      @Override
      public boolean equals(Object o) {
        return o instanceof InvocationId other && id.equals(other.toString());
      }

      @Override
      public int hashCode() {
        return id.hashCode();
      }
    };
  }
}
