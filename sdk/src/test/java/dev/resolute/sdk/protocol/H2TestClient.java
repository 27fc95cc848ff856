package dev.resolute.sdk.protocol;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A tiny h2c (prior knowledge) client for tests: one connection, streams opened on demand. */
final class H2TestClient implements AutoCloseable {
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel connection;

  H2TestClient(String host, int port) throws InterruptedException {
    connection =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forClient().build(),
                            new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                  }
                })
            .connect(host, port)
            .sync()
            .channel();
  }

  /** Response of a simple exchange. */
  record Response(int status, Http2Headers headers, byte[] body) {}

  /** A streaming exchange: response headers, body chunks and end are reported to the callbacks. */
  Http2StreamChannel open(
      String method,
      String path,
      Map<String, String> headers,
      CompletableFuture<Http2Headers> responseHeaders,
      Consumer<byte[]> onData,
      Runnable onEnd)
      throws InterruptedException {
    Http2StreamChannel stream =
        new Http2StreamChannelBootstrap(connection)
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    try {
                      if (msg instanceof Http2HeadersFrame h) {
                        responseHeaders.complete(h.headers());
                        if (h.isEndStream()) {
                          onEnd.run();
                        }
                      } else if (msg instanceof Http2DataFrame d) {
                        ByteBuf buf = d.content();
                        byte[] b = new byte[buf.readableBytes()];
                        buf.readBytes(b);
                        if (b.length > 0) {
                          onData.accept(b);
                        }
                        if (d.isEndStream()) {
                          onEnd.run();
                        }
                      }
                    } finally {
                      ReferenceCountUtil.release(msg);
                    }
                  }
                })
            .open()
            .sync()
            .getNow();
    Http2Headers h =
        new DefaultHttp2Headers().method(method).path(path).scheme("http").authority("127.0.0.1");
    headers.forEach(h::set);
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(h, false)).sync();
    return stream;
  }

  void send(Http2StreamChannel stream, byte[] bytes, boolean endStream) {
    stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), endStream));
  }

  Response exchange(String method, String path, Map<String, String> headers, byte[] body)
      throws Exception {
    CompletableFuture<Http2Headers> rh = new CompletableFuture<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<Void> done = new CompletableFuture<>();
    Http2StreamChannel s =
        open(
            method,
            path,
            headers,
            rh,
            b -> {
              synchronized (out) {
                out.writeBytes(b);
              }
            },
            () -> done.complete(null));
    send(s, body, true);
    done.get(10, TimeUnit.SECONDS);
    Http2Headers h = rh.get(1, TimeUnit.SECONDS);
    return new Response(Integer.parseInt(h.status().toString()), h, out.toByteArray());
  }

  @Override
  public void close() {
    connection.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
