package dev.resolute.sdk.internal.http;

import dev.resolute.sdk.internal.endpoint.EndpointHandler;
import dev.resolute.sdk.internal.endpoint.InvocationSession;
import dev.resolute.sdk.internal.endpoint.ResponseSink;
import dev.resolute.sdk.internal.endpoint.SdkVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

/** One HTTP/2 stream = one request; invocations stream both ways (BIDI_STREAM). */
final class H2StreamHandler extends ChannelInboundHandlerAdapter {
  private final EndpointHandler handler;
  private InvocationSession session;
  private boolean inputEnded;

  H2StreamHandler(EndpointHandler handler) {
    this.handler = handler;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http2HeadersFrame h) {
        onHeaders(ctx.channel(), h);
      } else if (msg instanceof Http2DataFrame d) {
        if (session != null && !inputEnded) {
          ByteBuf buf = d.content();
          byte[] bytes = new byte[buf.readableBytes()];
          buf.readBytes(bytes);
          session.onData(bytes, 0, bytes.length);
        }
        if (d.isEndStream()) {
          endInput();
        }
      } else if (msg instanceof Http2ResetFrame) {
        abort("stream reset by the server");
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHeaders(Channel ch, Http2HeadersFrame frame) {
    if (session != null) {
      if (frame.isEndStream()) {
        endInput(); // trailers
      }
      return;
    }
    Http2Headers in = frame.headers();
    String method = String.valueOf(in.method());
    String path = String.valueOf(in.path());
    ResponseSink sink =
        new ResponseSink() {
          @Override
          public void write(byte[] bytes) {
            ch.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), false));
          }

          @Override
          public void end() {
            ch.writeAndFlush(new DefaultHttp2DataFrame(true));
          }
        };
    EndpointHandler.Routed routed =
        handler.handle(
            method,
            path,
            name -> {
              CharSequence v = in.get(name);
              return v == null ? null : v.toString();
            },
            true,
            sink);
    if (routed instanceof EndpointHandler.Simple s) {
      Http2Headers out =
          new DefaultHttp2Headers()
              .status(Integer.toString(s.status()))
              .set("content-type", s.contentType())
              .set("x-restate-server", SdkVersion.X_RESTATE_SERVER)
              .setInt("content-length", s.body().length);
      ch.write(new DefaultHttp2HeadersFrame(out, false));
      ch.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(s.body()), true));
    } else if (routed instanceof EndpointHandler.Invocation inv) {
      Http2Headers out =
          new DefaultHttp2Headers()
              .status("200")
              .set("content-type", inv.contentType())
              .set("x-restate-server", SdkVersion.X_RESTATE_SERVER);
      ch.writeAndFlush(new DefaultHttp2HeadersFrame(out, false));
      session = inv.session();
      if (frame.isEndStream()) {
        endInput();
      }
    }
  }

  private void endInput() {
    if (session != null && !inputEnded) {
      inputEnded = true;
      session.onEndOfInput();
    }
  }

  private void abort(String reason) {
    if (session != null) {
      session.onAbort(reason);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    abort("stream closed");
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    abort("stream error: " + cause);
    ctx.close();
  }
}
