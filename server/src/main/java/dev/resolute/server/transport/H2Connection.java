package dev.resolute.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * State of one pooled h2c connection; also the last handler of its pipeline (after the
 * multiplexer), where connection-level frames and errors arrive. Releases every frame it reads.
 * Counters are guarded by the owning pool's lock.
 */
final class H2Connection extends ChannelInboundHandlerAdapter {
  /** Streams we hand out before the peer's SETTINGS arrive (Vert.x announces 100). */
  static final int INITIAL_LIMIT = 100;

  final String key;
  Channel channel;

  /** Streams reserved or open on this connection (pool lock). */
  int active;

  /** min(configured max, peer's SETTINGS_MAX_CONCURRENT_STREAMS). */
  volatile int limit;

  private final int maxStreams;

  /** False after GOAWAY, a connection error or close: no new streams. */
  volatile boolean usable = true;

  volatile Throwable error;

  /** Completes with the channel once connected (the SETTINGS exchange may still be in flight). */
  final java.util.concurrent.CompletableFuture<Channel> ready =
      new java.util.concurrent.CompletableFuture<>();

  private final int connectionWindowIncrement;

  H2Connection(String key, int maxStreams, int connectionWindowIncrement) {
    this.key = key;
    this.maxStreams = maxStreams;
    this.limit = Math.min(INITIAL_LIMIT, maxStreams);
    this.connectionWindowIncrement = connectionWindowIncrement;
  }

  /**
   * The codec before us has written the connection preface and our SETTINGS by now (connect promise
   * listeners run before channelActive, so this must not happen there).
   */
  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    if (connectionWindowIncrement > 0) {
      ctx.writeAndFlush(
          new io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame(
              connectionWindowIncrement));
    }
    ready.complete(ctx.channel());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http2SettingsFrame sf) {
        Long max = sf.settings().maxConcurrentStreams();
        limit = (int) Math.max(1, Math.min(maxStreams, max == null ? Integer.MAX_VALUE : max));
      } else if (msg instanceof Http2GoAwayFrame) {
        usable = false;
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    usable = false;
    if (error == null) {
      error = classify(cause);
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    usable = false;
    ready.completeExceptionally(
        error != null
            ? error
            : new TransportException(TransportException.Kind.CLOSED, "HTTP/2 connection closed"));
    ctx.fireChannelInactive();
  }

  /**
   * An HTTP/2 connection error whose first bytes look like "HTTP/" means the peer answered in
   * HTTP/1.x: report it as a {@link TransportException.Kind#PROTOCOL} failure.
   */
  static Throwable classify(Throwable cause) {
    TransportException tls = TransportException.tlsFailure(cause);
    if (tls != null) {
      return tls;
    }
    String m = String.valueOf(cause.getMessage());
    if (cause instanceof io.netty.handler.codec.http2.Http2Exception) {
      boolean http1 = m.contains("485454502f") || m.contains("HTTP/1") || m.contains("preface");
      return new TransportException(
          TransportException.Kind.PROTOCOL,
          (http1
                  ? "the deployment answered with HTTP/1.x to an HTTP/2 prior-knowledge request: "
                  : "HTTP/2 error: ")
              + m,
          cause);
    }
    return new TransportException(
        TransportException.Kind.CLOSED, "HTTP/2 connection failed: " + m, cause);
  }
}
