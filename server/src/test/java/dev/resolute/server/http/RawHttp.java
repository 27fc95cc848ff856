package dev.resolute.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Raw bytes to a loopback port and what comes back: for requests no HTTP client would send. */
final class RawHttp {
  private RawHttp() {}

  /**
   * Sends {@code request} while reading, until the server closes or {@code timeoutMillis} pass. The
   * two run at once: a server may answer and close before a large request is written (a 414 for a
   * 200 KB URI), and the client's write then fails with a broken pipe — reading only after the
   * write would lose the answer.
   */
  static String exchange(int port, byte[] request, int timeoutMillis) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(timeoutMillis);
      Thread writer =
          new Thread(
              () -> {
                try {
                  s.getOutputStream().write(request);
                  s.getOutputStream().flush();
                } catch (IOException e) {
                  // the server closed first: what it answered is read below
                }
              },
              "raw-http-writer");
      writer.start();
      String answer = readAll(s);
      try {
        writer.join(timeoutMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return answer;
    }
  }

  /** Reads until the server closes, resets, or the socket's timeout passes; ISO-8859-1 text. */
  static String readAll(Socket s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // the server kept the connection open, or reset it: we have what it said
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
