package dev.resolute.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The header-read and idle timeouts of one connection (see {@link HttpLimits}). It sits first in
 * the connection's pipeline and sees the raw bytes; the request handlers of the connection (one for
 * HTTP/1.1, one per HTTP/2 stream) report through {@link #of(Channel)} when a request's header has
 * been read and when its response has been written.
 *
 * <p>Bytes arriving while no request is in flight start the header clock; it stops when a request's
 * header is complete. A connection with no request in flight and no traffic for the idle timeout is
 * closed. A request in flight is never cut off by either timeout: a call may wait for a
 * long-running invocation. All state is touched on the connection's event loop only; stream
 * channels hop to it.
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionTimeouts.class);
  private static final AttributeKey<ConnectionTimeouts> KEY =
      AttributeKey.valueOf("resolute.timeouts");

  private final long headerReadNanos;
  private final long idleNanos;
  private ChannelHandlerContext ctx;

  /** Requests whose header was read and whose response is not yet written. */
  private int inFlight;

  /** System.nanoTime() when the first bytes of a not yet complete header arrived; 0 when none. */
  private long headerStartedAt;

  private long lastActivityAt;
  private ScheduledFuture<?> check;

  ConnectionTimeouts(HttpLimits limits) {
    this.headerReadNanos = limits.headerReadTimeout().toNanos();
    this.idleNanos = limits.idleTimeout().toNanos();
  }

  /** The timeouts of the connection {@code ch} belongs to (an HTTP/2 stream's parent), or null. */
  static ConnectionTimeouts of(Channel ch) {
    Channel c =
        ch.parent() != null && !(ch.parent() instanceof io.netty.channel.ServerChannel)
            ? ch.parent()
            : ch;
    return c.attr(KEY).get();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.channel().attr(KEY).set(this);
    lastActivityAt = System.nanoTime();
    schedule(idleNanos);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (check != null) {
      check.cancel(false);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b && b.isReadable()) {
      lastActivityAt = System.nanoTime();
      if (inFlight == 0 && headerStartedAt == 0) {
        headerStartedAt = lastActivityAt;
        schedule(headerReadNanos);
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    lastActivityAt = System.nanoTime();
    ctx.write(msg, promise);
  }

  /** A request's header was read completely. Any thread. */
  void headerRead() {
    onLoop(
        () -> {
          inFlight++;
          headerStartedAt = 0;
        });
  }

  /**
   * A request's header was read but the request is refused without reaching a handler. Any thread.
   */
  void headerRefused() {
    onLoop(() -> headerStartedAt = 0);
  }

  /** A request's response was written (or the request was dropped). Any thread. */
  void responded() {
    onLoop(
        () -> {
          if (inFlight > 0) {
            inFlight--;
          }
          lastActivityAt = System.nanoTime();
        });
  }

  private void onLoop(Runnable r) {
    if (ctx.executor().inEventLoop()) {
      r.run();
    } else {
      ctx.executor().execute(r);
    }
  }

  private void schedule(long inNanos) {
    if (check != null && check.getDelay(TimeUnit.NANOSECONDS) <= inNanos) {
      return; // an earlier check is armed; it re-arms for what is left
    }
    if (check != null) {
      check.cancel(false);
    }
    check = ctx.executor().schedule(this::check, inNanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    check = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    long now = System.nanoTime();
    if (inFlight == 0 && headerStartedAt != 0 && now - headerStartedAt >= headerReadNanos) {
      LOG.debug(
          "closing {}: request header not complete after {} ms",
          ctx.channel().remoteAddress(),
          headerReadNanos / 1_000_000);
      ctx.close();
      return;
    }
    if (inFlight == 0 && now - lastActivityAt >= idleNanos) {
      LOG.debug("closing idle connection {}", ctx.channel().remoteAddress());
      ctx.close();
      return;
    }
    long next = idleNanos - (now - lastActivityAt);
    if (inFlight == 0 && headerStartedAt != 0) {
      next = Math.min(next, headerReadNanos - (now - headerStartedAt));
    }
    schedule(Math.max(next, inFlight > 0 ? idleNanos : 1_000_000));
  }
}
