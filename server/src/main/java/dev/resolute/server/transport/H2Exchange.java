package dev.resolute.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/2 stream of an {@link H2Connection}; the {@link Channel} it is attached to is the
 * connection's. Request DATA frames wrap the caller's arrays (no copy; the arrays must not be
 * modified after {@link #write}); inbound DATA is copied into fresh arrays (Netty's decoder
 * releases the frame). Also the listener of its own write promises: a failed write fails the
 * exchange.
 */
final class H2Exchange extends BaseExchange implements ChannelFutureListener {
  private final Http2Headers requestHeaders;

  /** The connection carrying this stream; set before the exchange is started on it. */
  volatile H2Connection connection;

  /** Event loop: the stream id once the head is written (0 before). */
  int streamId;

  /** Event loop: the connection forgot this exchange and its pool slot is free again. */
  boolean detached;

  private boolean gotHeaders;

  H2Exchange(Http2Headers requestHeaders, ExchangeListener listener) {
    super(listener);
    this.requestHeaders = requestHeaders;
  }

  @Override
  void writeHead(Channel ch, boolean endOfRequest) {
    connection.writeHeaders(this, requestHeaders, endOfRequest);
  }

  @Override
  void writeChunk(Channel ch, byte[] data) {
    if (isFinished() || detached) {
      return;
    }
    connection.writeData(this, Unpooled.wrappedBuffer(data), false);
  }

  /**
   * Ends our side of the stream even when the response has already ended (the usual order: the
   * deployment sends End and closes, then the invoker ends the request). Skipping it then left the
   * stream half-open forever, and with it the deployment's per-stream state.
   */
  @Override
  void writeEnd(Channel ch) {
    if (detached) {
      return;
    }
    connection.writeData(this, Unpooled.EMPTY_BUFFER, true);
  }

  /** RST_STREAM(CANCEL). */
  @Override
  void abort(Channel ch) {
    connection.reset(this);
  }

  /** A write promise of this stream completed (event loop). */
  @Override
  public void operationComplete(ChannelFuture f) {
    if (!f.isSuccess()) {
      connection.writeFailed(this, f.cause());
    }
  }

  // ---------------------------------------------------------------- inbound (event loop)

  /** Response headers, informational headers or trailers. Never throws. */
  void onHeaders(Http2Headers headers, boolean endOfStream) {
    if (!gotHeaders) {
      CharSequence st = headers.status();
      int status;
      try {
        status = st == null ? 0 : Integer.parseInt(st.toString());
      } catch (NumberFormatException e) {
        deliverError(
            new TransportException(
                TransportException.Kind.PROTOCOL, "invalid :status in the response: " + st));
        connection.reset(this);
        return;
      }
      if (status >= 100 && status < 200) {
        return; // informational
      }
      gotHeaders = true;
      List<Map.Entry<String, String>> list = new ArrayList<>(headers.size());
      for (Map.Entry<CharSequence, CharSequence> h : headers) {
        String k = h.getKey().toString();
        if (!k.startsWith(":")) {
          list.add(Map.entry(k, h.getValue().toString()));
        }
      }
      deliverHeaders(status, list);
    }
    if (endOfStream) {
      finish();
    }
  }

  /** A DATA frame; {@code data} stays Netty's. */
  void onData(ByteBuf data, boolean endOfStream) {
    if (data.isReadable() && !isFinished()) {
      deliverData(ByteBufUtil.getBytes(data));
    }
    if (endOfStream) {
      finish();
    }
  }

  private void finish() {
    if (!gotHeaders) {
      deliverError(
          new TransportException(
              TransportException.Kind.PROTOCOL, "response ended without headers"));
    } else {
      deliverEnd();
    }
    if (!requestEnded()) {
      connection.reset(this); // our side still open: reset the stream
    }
  }
}
