package dev.resolute.server.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 400 lines on purpose: the HTTP/2 and HTTP/1.1 connection pools, their connect paths and TLS
// share one lock and the pool maps.

/**
 * Netty implementation of {@link DeploymentClient}: h2c with prior knowledge (no Upgrade) or
 * HTTP/1.1 with chunked request bodies, both full duplex.
 *
 * <p>Pooling is per authority ({@code host:port}). HTTP/2: many streams per connection, up to
 * {@link Options#maxStreamsPerConnection()} (and never more than the peer's
 * SETTINGS_MAX_CONCURRENT_STREAMS; excess streams are buffered by Netty's StreamBufferingEncoder);
 * another connection is opened when all are full. An HTTP/2 connection is one Netty {@code
 * Http2ConnectionHandler} ({@link H2Connection}); its streams are entries of a table keyed by
 * stream id, not channels. HTTP/1.1: one exchange per connection at a time; idle keep-alive
 * connections are reused.
 *
 * <p>ByteBuf ownership: request chunks are wrapped (not copied) from the caller's arrays, so a
 * caller must not modify an array after passing it to {@link Exchange#write}; Netty releases the
 * wrappers after writing. Every inbound body chunk is copied into a fresh array; HTTP/1.1 messages
 * are released by the connection handler that reads them, HTTP/2 frames by Netty's decoder once the
 * frame listener returns; no ByteBuf escapes this package.
 */
public final class NettyDeploymentClient implements DeploymentClient {
  /**
   * {@code -Dresolute.h2.consolidate-flushes=false} writes every stream's flush at once (for
   * comparison).
   */
  private static final boolean CONSOLIDATE_FLUSHES =
      !"false".equals(System.getProperty("resolute.h2.consolidate-flushes"));

  private static final Logger LOG = LoggerFactory.getLogger(NettyDeploymentClient.class);

  /**
   * Transport settings (defaults as restate-server 1.7.12 dumps them).
   *
   * @param initialStreamWindow bytes, HTTP/2 SETTINGS_INITIAL_WINDOW_SIZE we announce
   * @param connectionWindow bytes, HTTP/2 connection-level receive window
   * @param additionalHeaders added to every request ({@code additional-request-headers}), except
   *     where the request already carries a header of that name
   */
  public record Options(
      Duration connectTimeout,
      int maxStreamsPerConnection,
      int initialStreamWindow,
      int connectionWindow,
      Map<String, String> additionalHeaders) {
    public static final Options DEFAULTS =
        new Options(Duration.ofSeconds(10), 128, 2 * 1024 * 1024, 5 * 1024 * 1024);

    public Options {
      if (maxStreamsPerConnection < 1 || initialStreamWindow < 65535 || connectionWindow < 65535) {
        throw new IllegalArgumentException("invalid transport options");
      }
      additionalHeaders = Map.copyOf(additionalHeaders);
    }

    public Options(
        Duration connectTimeout,
        int maxStreamsPerConnection,
        int initialStreamWindow,
        int connectionWindow) {
      this(
          connectTimeout, maxStreamsPerConnection, initialStreamWindow, connectionWindow, Map.of());
    }

    /** These options with another connect timeout and additional headers. */
    public Options with(Duration connectTimeout, Map<String, String> additionalHeaders) {
      return new Options(
          connectTimeout,
          maxStreamsPerConnection,
          initialStreamWindow,
          connectionWindow,
          additionalHeaders);
    }
  }

  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Options options;
  private final Class<? extends SocketChannel> channelClass;
  private final ChannelGroup allChannels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Object lock = new Object();
  private final Map<String, List<H2Connection>> h2Pools = new HashMap<>();
  private final Map<String, Deque<Http1Connection>> h1Idle = new HashMap<>();
  private volatile boolean closed;

  /** PEM bundle of extra trusted certificates for https deployments, or null. */
  private final java.nio.file.Path extraCaFile;

  /** Built on the first https:// request (most nodes never make one). */
  private volatile TlsContexts tls;

  /** Uses {@code group} (not closed by {@link #close()}); NIO or epoll groups are accepted. */
  public NettyDeploymentClient(EventLoopGroup group, Options options) {
    this(group, false, options, null);
  }

  public NettyDeploymentClient(EventLoopGroup group) {
    this(group, false, Options.DEFAULTS, null);
  }

  /**
   * @param extraCaFile a PEM file whose certificates are trusted for https deployments besides the
   *     platform's roots (restate-server reads {@code SSL_CERT_FILE} for the same), or null
   */
  public NettyDeploymentClient(
      EventLoopGroup group, Options options, java.nio.file.Path extraCaFile) {
    this(group, false, options, extraCaFile);
  }

  private NettyDeploymentClient(
      EventLoopGroup group, boolean ownsGroup, Options options, java.nio.file.Path extraCaFile) {
    this.group = group;
    this.ownsGroup = ownsGroup;
    this.options = options;
    this.extraCaFile = extraCaFile;
    this.channelClass = dev.resolute.server.http.NettyTransport.socketChannel(group);
  }

  /** A client with its own event loop group (shut down by {@link #close()}). */
  public static NettyDeploymentClient create(int threads, Options options) {
    return new NettyDeploymentClient(
        dev.resolute.server.http.NettyTransport.newGroup(
            threads, new DefaultThreadFactory("deployment-client", true)),
        true,
        options,
        null);
  }

  private TlsContexts tls() {
    TlsContexts t = tls;
    if (t == null) {
      synchronized (lock) {
        if (tls == null) {
          tls = new TlsContexts(extraCaFile);
        }
        t = tls;
      }
    }
    return t;
  }

  /**
   * Request headers whose value is new on (almost) every stream: HPACK sends them as literals
   * without indexing. Indexing them made every request evict older entries from the encoder's
   * dynamic table (the invocation id alone is 40 bytes + 32 per entry), a cost on every stream and
   * no gain on any.
   */
  static boolean unindexed(CharSequence name, CharSequence value) {
    return io.netty.util.AsciiString.contentEqualsIgnoreCase(name, "x-restate-invocation-id")
        || io.netty.util.AsciiString.contentEqualsIgnoreCase(name, "x-restate-service-key")
        || io.netty.util.AsciiString.contentEqualsIgnoreCase(name, "traceparent")
        || io.netty.util.AsciiString.contentEqualsIgnoreCase(name, "tracestate");
  }

  @Override
  public Exchange open(
      URI uri,
      String method,
      List<Map.Entry<String, String>> headers,
      boolean http11,
      ExchangeListener listener) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    boolean https = "https".equals(scheme);
    TlsContexts tlsContexts = null;
    String unsupported =
        closed
            ? "deployment client is closed"
            : (!"http".equals(scheme) && !https) || host == null
                ? "unsupported deployment URI (only http:// and https:// are supported): " + uri
                : null;
    if (unsupported == null && https) {
      try {
        tlsContexts = tls();
      } catch (IllegalArgumentException e) {
        unsupported = e.getMessage();
      }
    }
    if (unsupported != null) {
      Http1Exchange dead = new Http1Exchange(method, "/", "", List.of(), listener);
      String why = unsupported;
      group
          .next()
          .execute(
              () ->
                  dead.failUnattached(
                      new TransportException(TransportException.Kind.UNSUPPORTED, why)));
      return dead;
    }
    int port = uri.getPort() < 0 ? (https ? 443 : 80) : uri.getPort();
    String hostLiteral = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    String authority = hostLiteral + ":" + port;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    String connectHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    Endpoint to = new Endpoint(connectHost, port, authority, tlsContexts);
    if (!options.additionalHeaders().isEmpty()) {
      headers = withAdditionalHeaders(headers, options.additionalHeaders());
    }
    if (http11) {
      return openHttp1(to, method, pathAndQuery, headers, listener);
    }
    return openH2(to, method, pathAndQuery, headers, listener);
  }

  private static List<Map.Entry<String, String>> withAdditionalHeaders(
      List<Map.Entry<String, String>> headers, Map<String, String> additional) {
    Set<String> present = new java.util.HashSet<>();
    for (Map.Entry<String, String> h : headers) {
      present.add(h.getKey().toLowerCase(Locale.ROOT));
    }
    List<Map.Entry<String, String>> all = new ArrayList<>(headers);
    additional.forEach(
        (name, value) -> {
          if (!present.contains(name.toLowerCase(Locale.ROOT))) {
            all.add(Map.entry(name.toLowerCase(Locale.ROOT), value));
          }
        });
    return all;
  }

  /**
   * Where a request goes: host and port to connect to, the authority it names, and the TLS set-up
   * for https (null for plain http). Connections are pooled by {@link #poolKey()}.
   */
  private record Endpoint(String host, int port, String authority, TlsContexts tls) {
    String poolKey() {
      return (tls == null ? "http://" : "https://") + authority;
    }

    String scheme() {
      return tls == null ? "http" : "https";
    }

    void addTls(SocketChannel ch, boolean http11) {
      if (tls != null) {
        ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port, http11));
      }
    }
  }

  private static final Set<String> HOP_HEADERS =
      Set.of(
          "host",
          "connection",
          "transfer-encoding",
          "keep-alive",
          "upgrade",
          "proxy-connection",
          "te");

  // ---------------------------------------------------------------- HTTP/2

  private Exchange openH2(
      Endpoint to,
      String method,
      String pathAndQuery,
      List<Map.Entry<String, String>> headers,
      ExchangeListener listener) {
    Http2Headers h =
        new DefaultHttp2Headers()
            .method(method)
            .scheme(to.scheme())
            .authority(to.authority())
            .path(pathAndQuery);
    for (Map.Entry<String, String> e : headers) {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_HEADERS.contains(k)) {
        h.add(k, e.getValue());
      }
    }
    H2Exchange ex = new H2Exchange(h, listener);
    String key = to.poolKey();
    H2Connection conn = null;
    boolean fresh = false;
    synchronized (lock) {
      List<H2Connection> list = h2Pools.computeIfAbsent(key, k -> new ArrayList<>());
      list.removeIf(c -> !c.usable);
      for (H2Connection c : list) {
        if (c.active < c.limit) {
          conn = c;
          break;
        }
      }
      if (conn == null) {
        conn =
            H2Connection.create(
                key,
                options.maxStreamsPerConnection(),
                options.initialStreamWindow(),
                options.connectionWindow(),
                lock);
        list.add(conn);
        fresh = true;
      }
      conn.active++;
    }
    ex.connection = conn;
    if (fresh) {
      connectH2(conn, to);
    }
    H2Connection c = conn;
    conn.ready.whenComplete(
        (ch, err) -> {
          if (err != null) {
            c.releaseSlot();
            ex.failUnattached(err);
          } else {
            ch.eventLoop().execute(() -> c.start(ex));
          }
        });
    return ex;
  }

  private void connectH2(H2Connection conn, Endpoint to) {
    String host = to.host();
    int port = to.port();
    Bootstrap b =
        bootstrap()
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    // with TLS, the HTTP/2 preface and everything after it wait for the handshake
                    // in the handler
                    to.addTls(ch, false);
                    if (CONSOLIDATE_FLUSHES) {
                      // many streams share the connection: their flushes within one event-loop turn
                      // become one write
                      ch.pipeline()
                          .addLast(
                              new FlushConsolidationHandler(
                                  FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES,
                                  true));
                    }
                    ch.pipeline().addLast(conn);
                  }
                });
    b.connect(host, port)
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                conn.usable = false;
                removeH2(conn);
                conn.ready.completeExceptionally(connectError(host, port, f.cause()));
                return;
              }
              Channel ch = f.channel();
              allChannels.add(ch);
              ch.closeFuture()
                  .addListener(
                      x -> {
                        conn.usable = false;
                        removeH2(conn);
                      });
              // conn.ready completes in H2Connection.channelActive, after the preface is written
            });
  }

  private void removeH2(H2Connection conn) {
    synchronized (lock) {
      List<H2Connection> list = h2Pools.get(conn.key);
      if (list != null) {
        list.remove(conn);
      }
    }
  }

  // ---------------------------------------------------------------- HTTP/1.1

  private Exchange openHttp1(
      Endpoint to,
      String method,
      String pathAndQuery,
      List<Map.Entry<String, String>> headers,
      ExchangeListener listener) {
    String authority = to.authority();
    List<Map.Entry<String, String>> hs = new ArrayList<>();
    for (Map.Entry<String, String> e : headers) {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_HEADERS.contains(k)) {
        hs.add(Map.entry(k, e.getValue()));
      }
    }
    Http1Exchange ex = new Http1Exchange(method, pathAndQuery, authority, hs, listener);
    Http1Connection idle = pollIdle(to.poolKey());
    if (idle != null) {
      idle.channel()
          .eventLoop()
          .execute(
              () -> {
                if (idle.channel().isActive() && idle.current() == null) {
                  idle.start(ex);
                } else {
                  connectHttp1(to, ex);
                }
              });
    } else {
      connectHttp1(to, ex);
    }
    return ex;
  }

  private Http1Connection pollIdle(String key) {
    synchronized (lock) {
      Deque<Http1Connection> d = h1Idle.get(key);
      while (d != null && !d.isEmpty()) {
        Http1Connection c = d.pollFirst();
        if (c.channel().isActive()) {
          return c;
        }
      }
      return null;
    }
  }

  private void connectHttp1(Endpoint to, Http1Exchange ex) {
    String key = to.poolKey();
    String host = to.host();
    int port = to.port();
    Bootstrap b =
        bootstrap()
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    to.addTls(ch, true);
                    ch.pipeline()
                        .addLast(
                            new HttpClientCodec(),
                            new Http1Connection(
                                ch, (c, reusable) -> onHttp1Idle(key, c, reusable)));
                  }
                });
    b.connect(host, port)
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                ex.failUnattached(connectError(host, port, f.cause()));
                return;
              }
              Channel ch = f.channel();
              allChannels.add(ch);
              Http1Connection conn = ch.pipeline().get(Http1Connection.class);
              ch.closeFuture()
                  .addListener(
                      x -> {
                        synchronized (lock) {
                          Deque<Http1Connection> d = h1Idle.get(key);
                          if (d != null) {
                            d.remove(conn);
                          }
                        }
                      });
              conn.start(ex);
            });
  }

  private void onHttp1Idle(String key, Http1Connection c, boolean reusable) {
    if (!reusable || closed) {
      c.channel().close();
      return;
    }
    synchronized (lock) {
      h1Idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(c);
    }
  }

  // ---------------------------------------------------------------- common

  private Bootstrap bootstrap() {
    return new Bootstrap()
        .group(group)
        .channel(channelClass)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis());
  }

  private static TransportException connectError(String host, int port, Throwable cause) {
    return new TransportException(
        TransportException.Kind.CONNECT,
        "cannot connect to " + host + ":" + port + ": " + cause.getMessage(),
        cause);
  }

  /**
   * A non-streaming request: sends {@code body} (may be null), collects the whole response, and
   * fails with a {@link TransportException} of kind TIMEOUT if it takes longer than {@code
   * timeout}. The response body is bounded only by what an array can hold; callers that talk to
   * deployments pass a bound of their own.
   */
  public CompletableFuture<UnaryResponse> request(
      URI uri,
      String method,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      boolean http11,
      Duration timeout) {
    return request(uri, method, headers, body, http11, timeout, Integer.MAX_VALUE - 8);
  }

  /**
   * As {@link #request(URI, String, List, byte[], boolean, Duration)}, but a response body of more
   * than {@code maxResponseBytes} (declared by {@code content-length}, or counted as it arrives)
   * fails the request with a {@link TransportException} of kind TOO_LARGE and cancels the exchange:
   * at most {@code maxResponseBytes} are ever buffered, whatever the peer sends.
   */
  public CompletableFuture<UnaryResponse> request(
      URI uri,
      String method,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      boolean http11,
      Duration timeout,
      int maxResponseBytes) {
    CompletableFuture<UnaryResponse> result = new CompletableFuture<>();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int[] status = {0};
    List<List<Map.Entry<String, String>>> respHeaders = new ArrayList<>(1);
    java.util.concurrent.atomic.AtomicReference<Exchange> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    Runnable tooLarge =
        () -> {
          if (result.completeExceptionally(
              new TransportException(
                  TransportException.Kind.TOO_LARGE,
                  "the response from "
                      + uri
                      + " is larger than the limit of "
                      + maxResponseBytes
                      + " bytes"))) {
            Exchange e = self.get();
            if (e != null) {
              e.cancel();
            } // else cancelled below, once open() has returned it
          }
        };
    Exchange ex =
        open(
            uri,
            method,
            headers,
            http11,
            new ExchangeListener() {
              @Override
              public void onResponseHeaders(int s, List<Map.Entry<String, String>> h) {
                status[0] = s;
                respHeaders.add(h);
                for (Map.Entry<String, String> e : h) {
                  if (e.getKey().equalsIgnoreCase("content-length")
                      && declaredLength(e.getValue()) > maxResponseBytes) {
                    tooLarge.run();
                  }
                }
              }

              @Override
              public void onData(byte[] chunk) {
                if (result.isDone()) {
                  return;
                }
                if (chunk.length > maxResponseBytes - buf.size()) {
                  tooLarge.run();
                  return;
                }
                buf.writeBytes(chunk);
              }

              @Override
              public void onEnd() {
                result.complete(
                    new UnaryResponse(
                        status[0],
                        respHeaders.isEmpty() ? List.of() : respHeaders.get(0),
                        buf.toByteArray(),
                        http11 ? "HTTP/1.1" : "HTTP/2.0"));
              }

              @Override
              public void onError(Throwable cause) {
                result.completeExceptionally(cause);
              }
            });
    self.set(ex);
    if (result.isCompletedExceptionally()) {
      ex.cancel();
    }
    if (body != null && body.length > 0) {
      ex.write(body);
    }
    ex.end();
    var timer =
        group
            .next()
            .schedule(
                () -> {
                  if (result.completeExceptionally(
                      new TransportException(
                          TransportException.Kind.TIMEOUT,
                          "no complete response from "
                              + uri
                              + " within "
                              + timeout.toMillis()
                              + " ms"))) {
                    ex.cancel();
                  }
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    result.whenComplete((r, e) -> timer.cancel(false));
    return result;
  }

  /** A {@code content-length} value, or -1 when it is not a number. */
  private static long declaredLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    closed = true;
    allChannels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    synchronized (lock) {
      h2Pools.clear();
      h1Idle.clear();
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    LOG.debug("deployment client closed");
  }
}
