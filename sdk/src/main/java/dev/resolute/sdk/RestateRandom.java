package dev.resolute.sdk;

import java.util.Random;
import java.util.UUID;

/**
 * A {@link Random} seeded per invocation (from the server's random seed), so it yields the same values
 * on every replay. Not for cryptography; not usable inside {@code ctx.run}.
 */
public abstract class RestateRandom extends Random {

  protected RestateRandom(long seed) {
    super(seed);
  }

  /** A random (version 4 layout) UUID drawn from this generator. */
  public UUID nextUUID() {
    long msb = (nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
