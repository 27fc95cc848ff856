package dev.resolute.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small Netty servers for transport tests: an h2c (prior knowledge) echo, an HTTP/1.1 echo, an
 * HTTP/1.1-only 400.
 */
final class EchoServers {
  private EchoServers() {}

  /** Highest number of concurrently open streams seen by {@link #h2Echo}. */
  static final AtomicInteger MAX_CONCURRENT = new AtomicInteger();

  static final AtomicInteger CONNECTIONS = new AtomicInteger();
  private static final AtomicInteger OPEN = new AtomicInteger();

  /**
   * h2c prior-knowledge echo: answers 200 on request headers, echoes each DATA frame immediately,
   * ends the response when the request ends. Announces {@code maxStreams} concurrent streams.
   */
  static Channel h2Echo(EventLoopGroup group, int maxStreams) {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                CONNECTIONS.incrementAndGet();
                ch.pipeline()
                    .addLast(
                        Http2FrameCodecBuilder.forServer()
                            .initialSettings(
                                Http2Settings.defaultSettings().maxConcurrentStreams(maxStreams))
                            .build(),
                        new Http2MultiplexHandler(
                            new ChannelInitializer<Channel>() {
                              @Override
                              protected void initChannel(Channel s) {
                                s.pipeline()
                                    .addLast(
                                        new ChannelInboundHandlerAdapter() {
                                          @Override
                                          public void channelActive(ChannelHandlerContext ctx) {
                                            int now = OPEN.incrementAndGet();
                                            MAX_CONCURRENT.accumulateAndGet(now, Math::max);
                                            ctx.fireChannelActive();
                                          }

                                          @Override
                                          public void channelInactive(ChannelHandlerContext ctx) {
                                            OPEN.decrementAndGet();
                                            ctx.fireChannelInactive();
                                          }

                                          @Override
                                          public void channelRead(
                                              ChannelHandlerContext ctx, Object msg) {
                                            if (msg instanceof Http2HeadersFrame hf) {
                                              ctx.writeAndFlush(
                                                  new DefaultHttp2HeadersFrame(
                                                      new DefaultHttp2Headers()
                                                          .status("200")
                                                          .add("x-echo-path", hf.headers().path())
                                                          .add(
                                                              "x-echo-custom",
                                                              String.valueOf(
                                                                  hf.headers().get("x-custom"))),
                                                      false));
                                              if (hf.isEndStream()) {
                                                ctx.writeAndFlush(new DefaultHttp2DataFrame(true));
                                              }
                                            } else if (msg instanceof Http2DataFrame df) {
                                              boolean end = df.isEndStream();
                                              ctx.writeAndFlush(
                                                  new DefaultHttp2DataFrame(
                                                      df.content().retain(), end));
                                              df.release();
                                            } else {
                                              ReferenceCountUtil.release(msg);
                                            }
                                          }
                                        });
                              }
                            }));
              }
            })
        .bind("127.0.0.1", 0)
        .syncUninterruptibly()
        .channel();
  }

  /** HTTP/1.1 echo with a chunked response: each request chunk is echoed as it arrives. */
  static Channel http1Echo(EventLoopGroup group) {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                CONNECTIONS.incrementAndGet();
                ch.pipeline()
                    .addLast(
                        new HttpServerCodec(),
                        new ChannelInboundHandlerAdapter() {
                          @Override
                          public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            try {
                              if (msg instanceof HttpRequest req) {
                                DefaultHttpResponse r =
                                    new DefaultHttpResponse(
                                        HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                                r.headers()
                                    .set(
                                        HttpHeaderNames.TRANSFER_ENCODING,
                                        HttpHeaderValues.CHUNKED);
                                r.headers().set("x-echo-path", req.uri());
                                r.headers()
                                    .set(
                                        "x-echo-te",
                                        String.valueOf(
                                            req.headers().get(HttpHeaderNames.TRANSFER_ENCODING)));
                                ctx.writeAndFlush(r);
                              }
                              if (msg instanceof HttpContent c) {
                                if (c.content().isReadable()) {
                                  ctx.writeAndFlush(new DefaultHttpContent(c.content().retain()));
                                }
                                if (c instanceof LastHttpContent) {
                                  ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                                }
                              }
                            } finally {
                              ReferenceCountUtil.release(msg);
                            }
                          }
                        });
              }
            })
        .bind("127.0.0.1", 0)
        .syncUninterruptibly()
        .channel();
  }

  /** An HTTP/1.1-only server that answers every request (or garbage) with 400 and closes. */
  static Channel http1Only(EventLoopGroup group) {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(
                        new HttpServerCodec(),
                        new ChannelInboundHandlerAdapter() {
                          @Override
                          public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                            if (msg instanceof HttpRequest) {
                              FullHttpResponse r =
                                  new DefaultFullHttpResponse(
                                      HttpVersion.HTTP_1_1,
                                      HttpResponseStatus.BAD_REQUEST,
                                      Unpooled.EMPTY_BUFFER);
                              r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                              r.headers().set(HttpHeaderNames.CONNECTION, "close");
                              ctx.writeAndFlush(r).addListener(f -> ctx.close());
                            }
                          }
                        });
              }
            })
        .bind("127.0.0.1", 0)
        .syncUninterruptibly()
        .channel();
  }
}
