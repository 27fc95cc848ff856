package dev.resolute.server.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/2 stream. Request DATA frames wrap the caller's arrays (no copy; the arrays must not be
 * modified after {@link #write}); inbound frames are copied into fresh arrays and released here.
 */
final class H2Exchange extends BaseExchange {
  private final Http2Headers requestHeaders;

  /** The connection carrying this stream (for its error when the stream dies with it). */
  volatile H2Connection connection;

  H2Exchange(Http2Headers requestHeaders, ExchangeListener listener) {
    super(listener);
    this.requestHeaders = requestHeaders;
  }

  @Override
  void writeHead(Channel ch, boolean endOfRequest) {
    failOnWriteError(ch.write(new DefaultHttp2HeadersFrame(requestHeaders, endOfRequest)));
  }

  @Override
  void writeChunk(Channel ch, byte[] data) {
    if (isFinished() || !ch.isActive()) {
      return;
    }
    failOnWriteError(ch.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(data), false)));
  }

  /**
   * Ends our side of the stream even when the response has already ended (the usual order: the
   * deployment sends End and closes, then the invoker ends the request). Skipping it then left the
   * stream half-open forever, and with it the stream channel, its session and the deployment's
   * per-stream state (a leak of ~1 KiB per invocation on both sides).
   */
  @Override
  void writeEnd(Channel ch) {
    if (!ch.isActive()) {
      return;
    }
    failOnWriteError(ch.write(new DefaultHttp2DataFrame(true)));
  }

  @Override
  void abort(Channel ch) {
    // closing a stream channel whose stream is not closed sends RST_STREAM(CANCEL)
    ch.close();
  }

  /** Inbound handler of the stream child channel. Releases every frame it receives. */
  final class Handler extends ChannelInboundHandlerAdapter {
    private boolean gotHeaders;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame hf) {
          onHeaders(ctx, hf);
        } else if (msg instanceof Http2DataFrame df) {
          if (df.content().isReadable()) {
            deliverData(ByteBufUtil.getBytes(df.content()));
          }
          if (df.isEndStream()) {
            finish(ctx);
          }
        } else if (msg instanceof Http2ResetFrame rf) {
          deliverError(
              new TransportException(
                  TransportException.Kind.RESET,
                  "stream reset by deployment (error code " + rf.errorCode() + ")"));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame hf) {
      if (!gotHeaders) {
        CharSequence st = hf.headers().status();
        int status = st == null ? 0 : Integer.parseInt(st.toString());
        if (status >= 100 && status < 200) {
          return; // informational
        }
        gotHeaders = true;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> h : hf.headers()) {
          String k = h.getKey().toString();
          if (!k.startsWith(":")) {
            headers.add(Map.entry(k, h.getValue().toString()));
          }
        }
        deliverHeaders(status, headers);
      }
      if (hf.isEndStream()) {
        finish(ctx);
      }
    }

    private void finish(ChannelHandlerContext ctx) {
      if (!gotHeaders) {
        deliverError(
            new TransportException(
                TransportException.Kind.PROTOCOL, "response ended without headers"));
      } else {
        deliverEnd();
      }
      if (!requestEnded()) {
        ctx.close(); // our side still open: reset the stream
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      ReferenceCountUtil.release(evt); // e.g. GOAWAY duplicates for streams above the last id
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (isFinished()) {
        // the usual end: the stream closes after its response ended (no exception to build)
        ctx.fireChannelInactive();
        return;
      }
      H2Connection c = connection;
      Throwable conn = c == null ? null : c.error;
      deliverError(
          conn != null
              ? conn
              : new TransportException(
                  TransportException.Kind.CLOSED,
                  "HTTP/2 stream closed before the response ended"));
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      deliverError(cause);
      ctx.close();
    }
  }
}
