package dev.resolute.sdk;

import java.util.Random;
import java.util.UUID;

/**
 * A {@link Random} seeded per invocation (from the server's random seed), so it yields the same
 * values on every replay. Not for cryptography; not usable inside {@code ctx.run}.
 */
public abstract class RestateRandom extends Random {

  private boolean seeded;

  protected RestateRandom(long seed) {
    super(seed);
  }

  /** The seed comes from the invocation; setting another one would break replay. */
  @Override
  public synchronized void setSeed(long seed) {
    if (seeded) {
      throw new UnsupportedOperationException("You cannot set the seed on RestateRandom");
    }
    super.setSeed(seed);
    seeded = true;
  }

  /** A random (version 4 layout) UUID drawn from this generator. */
  public UUID nextUUID() {
    long msb = (nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
