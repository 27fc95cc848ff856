package dev.resolute.server.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * The Netty transport of the server's event loops: NIO by default; the system property {@code
 * resolute.netty.transport} ({@code nio} or {@code epoll}) chooses, and {@code epoll} where its
 * native library cannot load fails at start. Measured A/B on a quiet 2-core machine (BENCHMARKS.md,
 * session 18): epoll (Netty's edge-triggered default) was ~4 % better at one request in flight but
 * 12-20 % worse in throughput at 64 in flight (echo-64, send-64), so NIO stays the default.
 */
public final class NettyTransport {
  /** The system property that chooses the transport. */
  public static final String PROPERTY = "resolute.netty.transport";

  private NettyTransport() {}

  /** Whether new groups use epoll. */
  public static boolean epoll() {
    String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    switch (forced) {
      case "", "nio":
        return false;
      case "epoll":
        Epoll.ensureAvailability();
        return true;
      default:
        throw new IllegalArgumentException(
            "system property " + PROPERTY + " must be epoll or nio, not '" + forced + "'");
    }
  }

  /** A group of {@code threads} event loops on the chosen transport. */
  public static EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    return epoll()
        ? new EpollEventLoopGroup(threads, threadFactory)
        : new NioEventLoopGroup(threads, threadFactory);
  }

  /** The server channel class for {@code group} (epoll or NIO, as the group is). */
  public static Class<? extends ServerSocketChannel> serverChannel(EventLoopGroup group) {
    return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The client socket channel class for {@code group} (epoll or NIO, as the group is). */
  public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
    return isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  private static boolean isEpoll(EventLoopGroup group) {
    return group.getClass().getName().startsWith("io.netty.channel.epoll.");
  }
}
