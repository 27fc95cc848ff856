package dev.resolute.sdk.internal.http;

import dev.resolute.sdk.internal.endpoint.EndpointHandler;
import dev.resolute.sdk.internal.endpoint.InvocationSession;
import dev.resolute.sdk.internal.endpoint.ResponseSink;
import dev.resolute.sdk.internal.endpoint.SdkVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * HTTP/1.1: the whole request body is read first, so invocations run in REQUEST_RESPONSE mode (the
 * input is closed after the replay and the handler suspends when it needs anything new).
 */
final class H1Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final EndpointHandler handler;
  private InvocationSession current;

  H1Handler(EndpointHandler handler) {
    this.handler = handler;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    Channel ch = ctx.channel();
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    ResponseSink sink =
        new ResponseSink() {
          @Override
          public void write(byte[] bytes) {
            ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
          }

          @Override
          public void end() {
            var f = ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
              f.addListener(ChannelFutureListener.CLOSE);
            }
          }
        };
    EndpointHandler.Routed routed =
        handler.handle(
            req.method().name(), req.uri(), name -> req.headers().get(name), false, sink);
    if (routed instanceof EndpointHandler.Simple s) {
      FullHttpResponse resp =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(s.status()),
              Unpooled.wrappedBuffer(s.body()));
      resp.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, s.contentType())
          .set("x-restate-server", SdkVersion.X_RESTATE_SERVER)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, s.body().length);
      var f = ch.writeAndFlush(resp);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    } else if (routed instanceof EndpointHandler.Invocation inv) {
      HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      resp.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, inv.contentType())
          .set("x-restate-server", SdkVersion.X_RESTATE_SERVER)
          .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      ch.writeAndFlush(resp);
      current = inv.session();
      ByteBuf body = req.content();
      byte[] bytes = new byte[body.readableBytes()];
      body.readBytes(bytes);
      current.onData(bytes, 0, bytes.length);
      current.onEndOfInput();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (current != null) {
      current.onAbort("connection closed");
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (current != null) {
      current.onAbort("connection error: " + cause);
    }
    ctx.close();
  }
}
