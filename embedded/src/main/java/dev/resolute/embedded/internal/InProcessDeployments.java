package dev.resolute.embedded.internal;

import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.internal.endpoint.EndpointHandler;
import dev.resolute.sdk.internal.endpoint.ResponseSink;
import dev.resolute.sdk.internal.endpoint.SdkVersion;
import dev.resolute.server.transport.Exchange;
import dev.resolute.server.transport.ExchangeListener;
import dev.resolute.server.transport.LocalDeployments;
import dev.resolute.server.transport.TransportException;
import dev.resolute.server.transport.UnaryResponse;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The endpoint of this JVM as the node's in-process deployment {@code inprocess://<name>/}: an
 * exchange is routed by the SDK's transport-independent {@link EndpointHandler} and runs on one of
 * a few event loops of its own ({@link InProcessExchange}); no socket, no HTTP framing, the
 * protocol frames as the invoker and the SDK encode them anyway. Always a full-duplex stream
 * (discovery is answered as over HTTP/2, so the manifest says {@code BIDI_STREAM}).
 */
public final class InProcessDeployments implements LocalDeployments {
  private static final ResponseSink DISCARD =
      new ResponseSink() {
        @Override
        public void write(byte[] bytes) {}

        @Override
        public void end() {}
      };

  private final String name;
  private final EndpointHandler handler;
  private final EventLoopGroup loops;
  private final java.util.Set<InProcessExchange> live =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param name the authority of the deployment's URI, e.g. {@code app} for {@code
   *     inprocess://app/}
   * @param loops event loops the exchanges' steps run on (a few: every step is short)
   */
  public InProcessDeployments(String name, Endpoint endpoint, int loops) {
    this.name = name;
    this.handler = new EndpointHandler(endpoint);
    this.loops = new DefaultEventLoopGroup(loops, new DefaultThreadFactory("inprocess", true));
  }

  /** The URI the deployment is registered under. */
  public URI uri() {
    return URI.create(SCHEME + "://" + name + "/");
  }

  @Override
  public Exchange open(
      URI uri,
      String method,
      List<Map.Entry<String, String>> headers,
      boolean http11,
      ExchangeListener listener) {
    InProcessExchange exchange = new InProcessExchange(loops.next(), listener, live);
    if (!name.equals(uri.getAuthority())) {
      exchange.failUnrouted(unknown(uri));
    } else {
      exchange.start(handler, method, pathAndQuery(uri), headers);
    }
    return exchange;
  }

  @Override
  public CompletableFuture<UnaryResponse> request(
      URI uri,
      String method,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      Duration timeout,
      int maxResponseBytes) {
    if (!name.equals(uri.getAuthority())) {
      return CompletableFuture.failedFuture(unknown(uri));
    }
    EndpointHandler.Routed routed =
        handler.handle(
            method, pathAndQuery(uri), n -> InProcessExchange.header(headers, n), true, DISCARD);
    if (routed instanceof EndpointHandler.Invocation inv) {
      // an invocation is opened as an exchange, never made as a unary request
      inv.session().onAbort("an invocation cannot be a unary request");
    }
    if (!(routed instanceof EndpointHandler.Simple s)) {
      return CompletableFuture.failedFuture(
          new TransportException(
              TransportException.Kind.PROTOCOL, method + " " + uri + " is not a unary request"));
    }
    if (s.body().length > maxResponseBytes) {
      return CompletableFuture.failedFuture(
          new TransportException(
              TransportException.Kind.TOO_LARGE,
              "the response from "
                  + uri
                  + " is larger than the limit of "
                  + maxResponseBytes
                  + " bytes"));
    }
    return CompletableFuture.completedFuture(
        new UnaryResponse(
            s.status(),
            List.of(
                Map.entry("content-type", s.contentType()),
                Map.entry("x-restate-server", SdkVersion.X_RESTATE_SERVER),
                Map.entry("content-length", Integer.toString(s.body().length))),
            s.body(),
            "HTTP/2.0"));
  }

  private TransportException unknown(URI uri) {
    return new TransportException(
        TransportException.Kind.CONNECT,
        "no in-process deployment at "
            + uri
            + " in this JVM (this one serves "
            + uri()
            + "): was it started by another application on the same data directory?");
  }

  private static String pathAndQuery(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /**
   * Aborts the handlers still running (their sessions, as a closed HTTP/2 stream does) and stops
   * the event loops; call after the node has stopped (no exchange is opened any more).
   */
  @Override
  public void close() {
    for (InProcessExchange e : List.copyOf(live)) {
      e.abandon();
    }
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Exchanges opened and not finished (for tests). */
  int liveExchanges() {
    return live.size();
  }
}
