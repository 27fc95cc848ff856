package dev.resolute.testing.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Finds free loopback ports for servers that cannot report an OS-assigned port. */
final class FreePorts {
  private FreePorts() {}

  /** {@code count} distinct ports in {@code [low, high]} that could be bound just now (random start, linear probe). */
  static int[] inRange(int low, int high, int count) {
    int size = high - low + 1;
    int start = ThreadLocalRandom.current().nextInt(size);
    int[] found = new int[count];
    int n = 0;
    for (int i = 0; i < size && n < count; i++) {
      int port = low + (start + i) % size;
      if (isFree(port)) {
        found[n++] = port;
      }
    }
    if (n < count) {
      throw new IllegalStateException("no " + count + " free ports in " + low + ".." + high);
    }
    return found;
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
