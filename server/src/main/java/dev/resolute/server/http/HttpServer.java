package dev.resolute.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty HTTP server for the ingress and admin ports: HTTP/1.1 (keep-alive) and h2c with prior
 * knowledge; like restate-server it does not upgrade an HTTP/1.1 connection to h2c, writes hyper's
 * reason phrases and a {@code date} header on every response. Requests are aggregated up to the
 * body limit and passed to one {@link HttpHandler}; request-line, header and time limits are {@link
 * HttpLimits}.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  /**
   * The last handler of every connection: swallows (logs at debug) and closes on connection errors.
   */
  private static final String ERRORS = "errors";

  private final Channel channel;
  private final String name;

  private HttpServer(String name, Channel channel) {
    this.name = name;
    this.channel = channel;
  }

  /**
   * Binds and starts serving.
   *
   * @throws BindException-like {@link java.io.UncheckedIOException} when the address cannot be
   *     bound
   */
  public static HttpServer start(
      String name,
      InetSocketAddress bind,
      EventLoopGroup group,
      int maxBodyBytes,
      HttpHandler handler) {
    return start(name, bind, group, HttpLimits.defaults(maxBodyBytes), handler);
  }

  /** Binds and starts serving with the given limits. */
  public static HttpServer start(
      String name,
      InetSocketAddress bind,
      EventLoopGroup group,
      HttpLimits limits,
      HttpHandler handler) {
    int maxBodyBytes = limits.maxBodyBytes();
    BodyBudget budget = new BodyBudget(limits.inFlightBodyBytes());
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NettyTransport.serverChannel(group))
            // a restart must be able to bind while connections of the previous process are in
            // TIME_WAIT
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    // the request line holds method, URI and version: room for the longest URI
                    // accepted
                    HttpServerCodec http1 =
                        new HttpServerCodec(
                            HttpLimits.MAX_URI_LENGTH + 64, HttpLimits.MAX_HEADER_BYTES, 8192);
                    ChannelInitializer<Http2StreamChannel> streamInit =
                        new ChannelInitializer<>() {
                          @Override
                          protected void initChannel(Http2StreamChannel s) {
                            RequestGate gate = new RequestGate(budget, maxBodyBytes);
                            s.pipeline()
                                .addLast(
                                    new Http2StreamFrameToHttpObjectCodec(true),
                                    gate,
                                    new HttpObjectAggregator(maxBodyBytes),
                                    new RequestHandler(handler, gate));
                          }
                        };
                    // restate-server answers an HTTP/1.1 "Upgrade: h2c" request over HTTP/1.1:
                    // no upgrade codec is offered, so the request is served as it came; h2c
                    // with prior knowledge is still detected by its preface
                    CleartextHttp2ServerUpgradeHandler h2c =
                        new CleartextHttp2ServerUpgradeHandler(
                            http1,
                            new io.netty.handler.codec.http.HttpServerUpgradeHandler(
                                http1,
                                protocol -> null,
                                maxBodyBytes), // without a limit, requests with a body that ask
                            // for an upgrade (JDK HttpClient's default) get 413
                            new ChannelInitializer<Channel>() {
                              @Override
                              protected void initChannel(Channel c) {
                                // before the error sink at the tail, so connection errors still
                                // reach it
                                c.pipeline().addBefore(ERRORS, null, http2Codec());
                                c.pipeline()
                                    .addBefore(ERRORS, null, new Http2MultiplexHandler(streamInit));
                              }
                            });
                    ChannelPipeline p = ch.pipeline();
                    p.addLast(new ConnectionTimeouts(limits));
                    p.addLast(h2c);
                    p.addLast(
                        new SimpleChannelInboundHandler<io.netty.handler.codec.http.HttpMessage>(
                            false) {
                          @Override
                          protected void channelRead0(
                              ChannelHandlerContext ctx,
                              io.netty.handler.codec.http.HttpMessage msg) {
                            // plain HTTP/1.1: no upgrade happened
                            ChannelPipeline pl = ctx.pipeline();
                            RequestGate gate = new RequestGate(budget, maxBodyBytes);
                            pl.addAfter(ctx.name(), null, new RequestHandler(handler, gate));
                            pl.addAfter(ctx.name(), null, new HttpObjectAggregator(maxBodyBytes));
                            pl.addAfter(ctx.name(), null, new HttpServerKeepAliveHandler());
                            pl.addAfter(ctx.name(), null, gate);
                            pl.remove(this);
                            ctx.fireChannelRead(msg);
                          }
                        });
                    p.addLast(
                        ERRORS,
                        new io.netty.channel.ChannelInboundHandlerAdapter() {
                          @Override
                          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            // a peer speaking garbage (e.g. a broken HTTP/2 preface): drop it,
                            // quietly
                            LOG.debug(
                                "connection error from {}", ctx.channel().remoteAddress(), cause);
                            ctx.close();
                          }
                        });
                  }
                });
    try {
      Channel ch = b.bind(bind).syncUninterruptibly().channel();
      LOG.info("{} listening on {}", name, ch.localAddress());
      return new HttpServer(name, ch);
    } catch (Exception e) {
      throw new java.io.UncheckedIOException(
          new java.io.IOException(
              "cannot bind " + name + " to " + bind + ": " + e.getMessage(), e));
    }
  }

  /** HTTP/2 frames for one connection; header lists as large as HTTP/1.1 headers may be. */
  private static Http2FrameCodec http2Codec() {
    return Http2FrameCodecBuilder.forServer()
        .initialSettings(
            Http2Settings.defaultSettings().maxHeaderListSize(HttpLimits.MAX_HEADER_BYTES))
        .build();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  public int port() {
    return address().getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    LOG.info("{} stopped", name);
  }

  /** hyper's canonical reason phrases, as restate-server 1.7.12 writes them. */
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(101, "Switching Protocols"),
          Map.entry(200, "OK"),
          Map.entry(201, "Created"),
          Map.entry(202, "Accepted"),
          Map.entry(203, "Non Authoritative Information"),
          Map.entry(204, "No Content"),
          Map.entry(205, "Reset Content"),
          Map.entry(206, "Partial Content"),
          Map.entry(207, "Multi-Status"),
          Map.entry(208, "Already Reported"),
          Map.entry(226, "IM Used"),
          Map.entry(300, "Multiple Choices"),
          Map.entry(301, "Moved Permanently"),
          Map.entry(302, "Found"),
          Map.entry(303, "See Other"),
          Map.entry(304, "Not Modified"),
          Map.entry(305, "Use Proxy"),
          Map.entry(307, "Temporary Redirect"),
          Map.entry(308, "Permanent Redirect"),
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(402, "Payment Required"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(405, "Method Not Allowed"),
          Map.entry(406, "Not Acceptable"),
          Map.entry(407, "Proxy Authentication Required"),
          Map.entry(408, "Request Timeout"),
          Map.entry(409, "Conflict"),
          Map.entry(410, "Gone"),
          Map.entry(411, "Length Required"),
          Map.entry(412, "Precondition Failed"),
          Map.entry(413, "Payload Too Large"),
          Map.entry(414, "URI Too Long"),
          Map.entry(415, "Unsupported Media Type"),
          Map.entry(416, "Range Not Satisfiable"),
          Map.entry(417, "Expectation Failed"),
          Map.entry(418, "I'm a teapot"),
          Map.entry(421, "Misdirected Request"),
          Map.entry(422, "Unprocessable Entity"),
          Map.entry(423, "Locked"),
          Map.entry(424, "Failed Dependency"),
          Map.entry(425, "Too Early"),
          Map.entry(426, "Upgrade Required"),
          Map.entry(428, "Precondition Required"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(431, "Request Header Fields Too Large"),
          Map.entry(451, "Unavailable For Legal Reasons"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(501, "Not Implemented"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(504, "Gateway Timeout"),
          Map.entry(505, "HTTP Version Not Supported"),
          Map.entry(506, "Variant Also Negotiates"),
          Map.entry(507, "Insufficient Storage"),
          Map.entry(508, "Loop Detected"),
          Map.entry(510, "Not Extended"),
          Map.entry(511, "Network Authentication Required"));

  /** One status object per known code, reused by every response. */
  private static final Map<Integer, HttpResponseStatus> STATUSES = statuses();

  private static Map<Integer, HttpResponseStatus> statuses() {
    Map<Integer, HttpResponseStatus> m = new java.util.HashMap<>();
    REASONS.forEach((code, reason) -> m.put(code, new HttpResponseStatus(code, reason)));
    return Map.copyOf(m);
  }

  private static final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final HttpHandler handler;
    private final RequestGate gate;

    RequestHandler(HttpHandler handler, RequestGate gate) {
      this.handler = handler;
      this.gate = gate;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      Throwable decodeError = req.decoderResult().isFailure() ? req.decoderResult().cause() : null;
      if (decodeError instanceof TooLongHttpLineException
          || req.uri().length() > HttpLimits.MAX_URI_LENGTH) {
        refuse(ctx, req, HttpResponseStatus.REQUEST_URI_TOO_LONG, gate);
        return;
      }
      if (decodeError instanceof TooLongHttpHeaderException) {
        refuse(ctx, req, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, gate);
        return;
      }
      if (decodeError != null) {
        // malformed request line, headers or chunking: answer 400 and drop the connection
        byte[] msg =
            ("bad request: " + req.decoderResult().cause().getMessage())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        FullHttpResponse bad =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, Unpooled.wrappedBuffer(msg));
        bad.headers().set("content-type", "text/plain");
        HttpUtil.setContentLength(bad, msg.length);
        bad.headers().set("date", HttpDates.now());
        HttpUtil.setKeepAlive(bad, false);
        ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
        gate.responded();
        return;
      }
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      for (Map.Entry<String, String> h : req.headers()) {
        String k = h.getKey().toLowerCase(java.util.Locale.ROOT);
        if (k.startsWith("x-http2-")) {
          continue;
        }
        headers.add(Map.entry(k, h.getValue()));
      }
      byte[] body = ByteBufUtil.getBytes(req.content());
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      HttpVersion version = req.protocolVersion();
      String streamId = req.headers().get("x-http2-stream-id");
      HttpRequest request = new HttpRequest(req.method().name(), req.uri(), headers, body);
      java.util.concurrent.CompletableFuture<HttpResponse> f;
      try {
        f = handler.handle(request);
      } catch (RuntimeException e) {
        f = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      if (f instanceof HttpHandler.CancelOnClose c) {
        ctx.channel().closeFuture().addListener(closed -> c.cancel(false));
      }
      f.whenComplete(
          (resp, err) -> {
            HttpResponse r = resp;
            if (err instanceof java.util.concurrent.CancellationException) {
              gate.responded(); // the client left: nothing to write
              return;
            }
            if (err != null) {
              LOG.warn("request {} {} failed", request.method(), request.uri(), err);
              r = HttpResponse.json(500, Map.of("message", String.valueOf(err.getMessage())));
            }
            if (r.status() < 200 && r.status() != 101) {
              // an informational status cannot end an exchange: restate-server (hyper) answers
              // 500 with no body and no headers instead
              r = new HttpResponse(500, List.of(), new byte[0]);
            }
            FullHttpResponse out =
                new DefaultFullHttpResponse(
                    version, status(r.status()), Unpooled.wrappedBuffer(r.body()));
            for (Map.Entry<String, String> h : r.headers()) {
              out.headers().add(h.getKey(), h.getValue());
            }
            if (streamId != null) {
              out.headers().set("x-http2-stream-id", streamId);
            }
            HttpUtil.setContentLength(out, r.body().length);
            out.headers().set("date", HttpDates.now());
            HttpUtil.setKeepAlive(out, keepAlive);
            ctx.channel()
                .eventLoop()
                .execute(
                    () -> {
                      var wf = ctx.writeAndFlush(out);
                      if (!keepAlive) {
                        wf.addListener(ChannelFutureListener.CLOSE);
                      }
                      gate.responded();
                    });
          });
    }

    /**
     * Answers a request over a limit as restate-server does: the status, no body, connection
     * closed.
     */
    private static void refuse(
        ChannelHandlerContext ctx,
        FullHttpRequest req,
        HttpResponseStatus status,
        RequestGate gate) {
      FullHttpResponse r =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
      HttpUtil.setContentLength(r, 0);
      r.headers().set("date", HttpDates.now());
      String streamId = req.headers().get("x-http2-stream-id");
      if (streamId != null) {
        r.headers().set("x-http2-stream-id", streamId);
        ctx.writeAndFlush(r);
      } else {
        HttpUtil.setKeepAlive(r, false);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
      }
      gate.responded();
    }

    /**
     * The status with the reason phrase restate-server (hyper) writes: its canonical phrase, or
     * {@code <none>} for a code it has none for (Netty would write {@code Client Error (470)}).
     */
    static HttpResponseStatus status(int code) {
      HttpResponseStatus known = STATUSES.get(code);
      return known != null ? known : new HttpResponseStatus(code, "<none>");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("http connection error", cause);
      ctx.close();
    }
  }
}
