package dev.resolute.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.function.BiConsumer;

/**
 * A pooled HTTP/1.1 connection: at most one exchange at a time. Its handler releases every inbound
 * message after passing it to the current exchange.
 */
final class Http1Connection extends ChannelInboundHandlerAdapter {
  private final Channel channel;
  private final BiConsumer<Http1Connection, Boolean> onIdle;
  private Http1Exchange current;
  private Throwable error;

  /** {@code onIdle(conn, reusable)} is called on the event loop when an exchange completes. */
  Http1Connection(Channel channel, BiConsumer<Http1Connection, Boolean> onIdle) {
    this.channel = channel;
    this.onIdle = onIdle;
  }

  Channel channel() {
    return channel;
  }

  Http1Exchange current() {
    return current;
  }

  /** Starts an exchange on this idle connection (event loop). */
  void start(Http1Exchange ex) {
    current = ex;
    ex.bind(this);
    ex.attach(channel);
  }

  void exchangeDone(Http1Exchange ex, boolean keepAlive) {
    if (current != ex) {
      return;
    }
    current = null;
    boolean reusable = keepAlive && channel.isActive();
    if (!reusable) {
      channel.close();
    }
    onIdle.accept(this, reusable);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (current != null) {
        current.onInbound(msg);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Http1Exchange ex = current;
    current = null;
    if (ex != null) {
      ex.onConnectionLost(error);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    TransportException tls = TransportException.tlsFailure(cause);
    error =
        tls != null
            ? tls
            : new TransportException(
                TransportException.Kind.CLOSED, "HTTP/1.1 connection failed: " + cause, cause);
    ctx.close();
  }
}
