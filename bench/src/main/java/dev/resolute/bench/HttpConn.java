package dev.resolute.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal blocking HTTP/1.1 keep-alive client connection: one request at a time, TCP_NODELAY,
 * Content-Length or chunked responses. Cheap enough that the load generator's CPU stays small next
 * to the servers' (the JDK HttpClient costs several times more per request).
 */
public final class HttpConn implements Closeable, LoadGen.Conn {
  /** A response: status and body bytes. */
  public record Response(int status, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final String host;
  private final int port;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  public HttpConn(String host, int port, int timeoutMillis) {
    this.host = host;
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  private String extraHeaders = "";

  /** Adds {@code name: value} to every request of this connection (e.g. an {@code accept}). */
  public HttpConn header(String name, String value) {
    extraHeaders = extraHeaders + name + ": " + value + "\r\n";
    return this;
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(timeoutMillis);
    s.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
  }

  /** Sends one request; reconnects once if a kept-alive connection turns out to be closed. */
  public Response send(String method, String path, byte[] body) throws IOException {
    boolean fresh = socket == null;
    if (fresh) {
      connect();
    }
    try {
      return exchange(method, path, body);
    } catch (EOFException | java.net.SocketException e) {
      close();
      if (fresh) {
        throw e;
      }
      connect();
      return exchange(method, path, body);
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private Response exchange(String method, String path, byte[] body) throws IOException {
    StringBuilder h =
        new StringBuilder(160)
            .append(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nhost: ")
            .append(host)
            .append(':')
            .append(port)
            .append("\r\n")
            .append(extraHeaders);
    if (body != null) {
      h.append("content-type: application/json\r\ncontent-length: ")
          .append(body.length)
          .append("\r\n");
    }
    h.append("\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.write(body);
    }
    out.flush();

    String status = line();
    if (!status.startsWith("HTTP/1.")) {
      throw new IOException("bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String l = line(); !l.isEmpty(); l = line()) {
      int c = l.indexOf(':');
      if (c < 0) {
        continue;
      }
      String k = l.substring(0, c).trim();
      String v = l.substring(c + 1).trim();
      if (k.equalsIgnoreCase("content-length")) {
        length = Long.parseLong(v);
      } else if (k.equalsIgnoreCase("transfer-encoding") && v.toLowerCase().contains("chunked")) {
        chunked = true;
      } else if (k.equalsIgnoreCase("connection") && v.equalsIgnoreCase("close")) {
        close = true;
      }
    }
    byte[] data;
    if (chunked) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        String sz = line();
        int semi = sz.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? sz : sz.substring(0, semi)).trim(), 16);
        if (n == 0) {
          while (!line().isEmpty()) {
            // trailers
          }
          break;
        }
        b.write(in.readNBytes(n));
        line();
      }
      data = b.toByteArray();
    } else if (length >= 0) {
      data = in.readNBytes((int) length);
      if (data.length != length) {
        throw new EOFException("short body");
      }
    } else {
      data = in.readAllBytes();
      close = true;
    }
    if (close) {
      close();
    }
    return new Response(code, data);
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed");
      }
      if (c == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      sb.append((char) c);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    socket = null;
  }
}
