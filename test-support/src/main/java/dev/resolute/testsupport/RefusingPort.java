package dev.resolute.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where connections are refused, for "nothing listens there" tests. The port stays
 * reserved while this is open: a socket is bound to it but never listens, so the kernel answers a
 * connect with RST and no other test can take the port meanwhile (closing a probe {@code
 * ServerSocket(0)} and reusing its number races with every other process picking ports).
 */
public final class RefusingPort implements AutoCloseable {
  private final Socket socket;

  private RefusingPort(Socket socket) {
    this.socket = socket;
  }

  public static RefusingPort open() {
    Socket s = new Socket();
    try {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return new RefusingPort(s);
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing bound
      }
      throw new UncheckedIOException("cannot bind a loopback port", e);
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // the port is released either way
    }
  }
}
