package dev.resolute.sdk.internal.http;

import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.internal.endpoint.EndpointHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server behind {@code ResoluteHttpServer}: each connection starts with a sniffer that
 * routes HTTP/2 prior-knowledge connections (the client preface) to the h2 codec and everything
 * else to HTTP/1.1.
 */
public final class NettyEndpointServer implements AutoCloseable {
  private static final int MAX_H1_BODY = 64 * 1024 * 1024;

  private final EventLoopGroup boss = new NioEventLoopGroup(1);
  private final EventLoopGroup workers = new NioEventLoopGroup(2);
  private final Channel serverChannel;

  public NettyEndpointServer(Endpoint endpoint, String host, int port) throws InterruptedException {
    EndpointHandler handler = new EndpointHandler(endpoint);
    ServerBootstrap b =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new ProtocolSniffer(handler));
                  }
                });
    try {
      serverChannel = b.bind(host, port).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      shutdownGroups();
      throw e;
    }
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutdownGroups();
  }

  private void shutdownGroups() {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  /** Looks at the first bytes: the HTTP/2 client preface means h2c prior knowledge. */
  private static final class ProtocolSniffer extends ByteToMessageDecoder {
    private final EndpointHandler handler;

    ProtocolSniffer(EndpointHandler handler) {
      this.handler = handler;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
      int n = Math.min(in.readableBytes(), preface.readableBytes());
      boolean prefixMatches = ByteBufUtil.equals(in, in.readerIndex(), preface, 0, n);
      preface.release();
      if (prefixMatches && n < Http2CodecUtil.connectionPrefaceBuf().readableBytes()) {
        return; // need more bytes to decide
      }
      if (prefixMatches) {
        Http2Settings settings =
            Http2Settings.defaultSettings()
                .initialWindowSize(2 * 1024 * 1024)
                .maxConcurrentStreams(1000);
        ctx.pipeline()
            .addAfter(
                ctx.name(),
                "h2-codec",
                Http2FrameCodecBuilder.forServer()
                    .initialSettings(settings)
                    .autoAckPingFrame(true)
                    .build());
        ctx.pipeline()
            .addAfter(
                "h2-codec",
                "h2-multiplex",
                new Http2MultiplexHandler(
                    new ChannelInitializer<Http2StreamChannel>() {
                      @Override
                      protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast(new H2StreamHandler(handler));
                      }
                    }));
      } else {
        ctx.pipeline().addAfter(ctx.name(), "h1-handler", new H1Handler(handler));
        ctx.pipeline().addAfter(ctx.name(), "h1-aggregator", new HttpObjectAggregator(MAX_H1_BODY));
        ctx.pipeline().addAfter(ctx.name(), "h1-codec", new HttpServerCodec());
      }
      ctx.pipeline().remove(this);
    }
  }
}
