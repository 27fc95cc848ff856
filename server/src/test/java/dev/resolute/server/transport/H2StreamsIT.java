package dev.resolute.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/2 streams of {@link NettyDeploymentClient} over real loopback sockets against a Netty
 * h2c server that counts open streams per connection: more concurrent exchanges than one connection
 * may carry, a stream reset by the peer in the middle of its response next to healthy ones, and
 * response bodies larger than both flow-control windows on several streams at once.
 */
@Timeout(120)
class H2StreamsIT {
  private static NioEventLoopGroup group;
  private static Channel server;

  /** Server connections accepted. */
  private static final AtomicInteger CONNECTIONS = new AtomicInteger();

  /** Open streams per server connection, and the most seen on any one. */
  private static final Map<Channel, AtomicInteger> OPEN = new ConcurrentHashMap<>();

  private static final AtomicInteger MAX_PER_CONNECTION = new AtomicInteger();

  @BeforeAll
  static void setUp() {
    group = new NioEventLoopGroup(2);
    server = h2Server();
  }

  @AfterAll
  static void tearDown() throws Exception {
    server.close().sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private static URI uri(String path) {
    return URI.create(
        "http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + path);
  }

  @Test
  void moreConcurrentStreamsThanOneConnectionMayCarryAllCompleteOnPooledConnections()
      throws Exception {
    int perConnection = 4;
    int n = 60;
    try (NettyDeploymentClient client =
        new NettyDeploymentClient(
            group,
            new NettyDeploymentClient.Options(
                Duration.ofSeconds(10), perConnection, 2 * 1024 * 1024, 5 * 1024 * 1024))) {
      MAX_PER_CONNECTION.set(0);
      int before = CONNECTIONS.get();
      wave(client, n);
      int opened = CONNECTIONS.get() - before;
      // all 60 were open at once (each got its echo before any ended), 4 per connection at most
      assertThat(opened).isGreaterThanOrEqualTo(n / perConnection);
      assertThat(MAX_PER_CONNECTION.get()).isLessThanOrEqualTo(perConnection);
      // the next wave runs on the pooled connections
      wave(client, n);
      assertThat(CONNECTIONS.get() - before).isEqualTo(opened);
      assertThat(MAX_PER_CONNECTION.get()).isLessThanOrEqualTo(perConnection);
    }
  }

  /** {@code n} exchanges open at once: each echoes one chunk, then all end. */
  private static void wave(NettyDeploymentClient client, int n) throws Exception {
    List<RecordingListener> ls = new ArrayList<>();
    List<Exchange> exs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RecordingListener l = new RecordingListener();
      Exchange ex = client.open(uri("/echo"), "POST", List.of(), false, l);
      ex.write(("m" + i).getBytes(StandardCharsets.UTF_8));
      ls.add(l);
      exs.add(ex);
    }
    for (int i = 0; i < n; i++) {
      assertThat(ls.get(i).chunks.poll(20, TimeUnit.SECONDS)).isEqualTo("m" + i);
    }
    exs.forEach(Exchange::end);
    for (RecordingListener l : ls) {
      l.done.get(20, TimeUnit.SECONDS);
      assertThat(l.terminalCalls).isEqualTo(1);
    }
  }

  @Test
  void aStreamResetByThePeerMidResponseFailsOnlyThatExchange() throws Exception {
    try (NettyDeploymentClient client = new NettyDeploymentClient(group)) {
      List<RecordingListener> healthy = new ArrayList<>();
      List<Exchange> exs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        RecordingListener l = new RecordingListener();
        Exchange ex = client.open(uri("/echo"), "POST", List.of(), false, l);
        ex.write(("a" + i).getBytes(StandardCharsets.UTF_8));
        healthy.add(l);
        exs.add(ex);
      }
      for (int i = 0; i < 5; i++) {
        assertThat(healthy.get(i).chunks.poll(10, TimeUnit.SECONDS)).isEqualTo("a" + i);
      }
      int connections = CONNECTIONS.get();
      RecordingListener reset = new RecordingListener();
      Exchange doomed = client.open(uri("/reset"), "POST", List.of(), false, reset);
      doomed.write("x".getBytes(StandardCharsets.UTF_8));
      assertThat(reset.status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
      Throwable t = failure(reset.done);
      assertThat(t).isInstanceOf(TransportException.class);
      assertThat(((TransportException) t).kind()).isEqualTo(TransportException.Kind.RESET);
      assertThat(reset.all.toString(StandardCharsets.UTF_8)).isEqualTo("partial");
      assertThat(reset.terminalCalls).isEqualTo(1);
      doomed.write("ignored".getBytes(StandardCharsets.UTF_8));
      doomed.end();
      // the other streams of the connection go on
      for (int i = 0; i < 5; i++) {
        exs.get(i).write(("b" + i).getBytes(StandardCharsets.UTF_8));
        assertThat(healthy.get(i).chunks.poll(10, TimeUnit.SECONDS)).isEqualTo("b" + i);
        exs.get(i).end();
        healthy.get(i).done.get(10, TimeUnit.SECONDS);
      }
      UnaryResponse after =
          client
              .request(
                  uri("/echo"), "POST", List.of(), "c".getBytes(), false, Duration.ofSeconds(10))
              .get(10, TimeUnit.SECONDS);
      assertThat(new String(after.body(), StandardCharsets.UTF_8)).isEqualTo("c");
      assertThat(CONNECTIONS.get()).isEqualTo(connections);
    }
  }

  /**
   * 8 MiB per response on four streams at once, against our 2 MiB stream and 5 MiB connection
   * windows: completes only if the bytes we read go back to both windows.
   */
  @Test
  void responsesLargerThanBothWindowsFlowToTheEnd() throws Exception {
    try (NettyDeploymentClient client = new NettyDeploymentClient(group)) {
      List<CompletableFuture<UnaryResponse>> rs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        rs.add(client.request(uri("/big"), "GET", List.of(), null, false, Duration.ofSeconds(60)));
      }
      for (CompletableFuture<UnaryResponse> r : rs) {
        UnaryResponse u = r.get(60, TimeUnit.SECONDS);
        assertThat(u.status()).isEqualTo(200);
        assertThat(u.body()).hasSize(BIG);
        assertThat(u.body()[BIG - 1]).isEqualTo((byte) ((BIG - 1) % 251));
      }
    }
  }

  private static final int BIG = 8 * 1024 * 1024;

  private static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected failure");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /**
   * h2c server: {@code /echo} answers 200 and echoes each DATA frame, ending when the request ends;
   * {@code /reset} answers 200 and "partial", then resets the stream (INTERNAL_ERROR); {@code /big}
   * answers {@link #BIG} bytes in 16 KiB frames.
   */
  private static Channel h2Server() {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                CONNECTIONS.incrementAndGet();
                AtomicInteger open = new AtomicInteger();
                OPEN.put(ch, open);
                ch.closeFuture().addListener(f -> OPEN.remove(ch));
                ch.pipeline()
                    .addLast(
                        Http2FrameCodecBuilder.forServer()
                            .initialSettings(
                                Http2Settings.defaultSettings().maxConcurrentStreams(100))
                            .build(),
                        new Http2MultiplexHandler(
                            new ChannelInitializer<Channel>() {
                              @Override
                              protected void initChannel(Channel s) {
                                s.pipeline().addLast(new StreamHandler(open));
                              }
                            }));
              }
            })
        .bind("127.0.0.1", 0)
        .syncUninterruptibly()
        .channel();
  }

  private static final class StreamHandler extends ChannelInboundHandlerAdapter {
    private final AtomicInteger open;
    private String path;

    StreamHandler(AtomicInteger open) {
      this.open = open;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      MAX_PER_CONNECTION.accumulateAndGet(open.incrementAndGet(), Math::max);
      ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      open.decrementAndGet();
      ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2HeadersFrame hf) {
        path = String.valueOf(hf.headers().path());
        ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), false));
        switch (path) {
          case "/reset" -> {
            // the reset only once "partial" is on the wire (Netty drops DATA still queued)
            ctx.writeAndFlush(
                    new DefaultHttp2DataFrame(
                        Unpooled.copiedBuffer("partial", StandardCharsets.UTF_8), false))
                .addListener(
                    f -> ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR)));
          }
          case "/big" -> {
            byte[] chunk = new byte[16 * 1024];
            for (int off = 0; off < BIG; off += chunk.length) {
              for (int j = 0; j < chunk.length; j++) {
                chunk[j] = (byte) ((off + j) % 251);
              }
              ctx.write(
                  new DefaultHttp2DataFrame(
                      Unpooled.copiedBuffer(chunk), off + chunk.length >= BIG));
            }
            ctx.flush();
          }
          default -> {
            if (hf.isEndStream()) {
              ctx.write(new DefaultHttp2DataFrame(true));
            }
            ctx.flush();
          }
        }
      } else if (msg instanceof Http2DataFrame df) {
        if ("/echo".equals(path)) {
          ctx.writeAndFlush(new DefaultHttp2DataFrame(df.content().retain(), df.isEndStream()));
        }
        df.release();
      } else {
        ReferenceCountUtil.release(msg);
      }
    }
  }
}
