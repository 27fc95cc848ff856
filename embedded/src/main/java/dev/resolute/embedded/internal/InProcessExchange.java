package dev.resolute.embedded.internal;

import dev.resolute.sdk.internal.endpoint.EndpointHandler;
import dev.resolute.sdk.internal.endpoint.InvocationSession;
import dev.resolute.sdk.internal.endpoint.ResponseSink;
import dev.resolute.sdk.internal.endpoint.SdkVersion;
import dev.resolute.server.transport.Exchange;
import dev.resolute.server.transport.ExchangeListener;
import dev.resolute.server.transport.TransportException;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One invocation attempt between the invoker and an endpoint of this JVM, without a socket: the
 * invoker's request chunks (encoded protocol frames) go to the SDK's {@link InvocationSession}, the
 * session's response chunks to the invoker's {@link ExchangeListener}, as the same byte arrays
 * (ownership passes with them, as both sides' contracts say), through the task queue of one event
 * loop.
 *
 * <p>Every step of both directions runs on that one loop, in the order it was issued (submissions
 * are made under a lock, so the order of calls from different threads is kept): the session sees
 * the request as a stream would deliver it, the listener gets its callbacks in order and never
 * concurrently, exactly one of {@code onEnd}/{@code onError} last, and neither side's thread (the
 * invoker's, or the handler's) ever runs the other side's code. All mutable fields below are
 * confined to the loop.
 */
final class InProcessExchange implements Exchange {
  private static final Logger LOG = LoggerFactory.getLogger(InProcessExchange.class);

  private final EventLoop loop;
  private final ExchangeListener listener;
  private final java.util.Set<InProcessExchange> live;
  private final Object submitLock = new Object();
  private boolean requestEnded;
  private boolean requestCancelled;

  private InvocationSession session;
  private boolean inputEnded;
  private boolean finished;

  /**
   * @param live the exchanges not finished yet; this one adds itself and leaves when finished
   */
  InProcessExchange(
      EventLoop loop, ExchangeListener listener, java.util.Set<InProcessExchange> live) {
    this.loop = loop;
    this.listener = listener;
    this.live = live;
    live.add(this);
  }

  /**
   * The node stopped: the handler's session is aborted (its thread leaves the handler instead of
   * waiting for input forever) and the listener, part of the stopped node, hears nothing more.
   */
  void abandon() {
    submit(
        () -> {
          finish();
          if (session != null) {
            session.onAbort("the node stopped");
          }
        });
  }

  private void finish() {
    finished = true;
    live.remove(this);
  }

  /** Routes the request to {@code handler} (on the loop, before anything written later). */
  void start(
      EndpointHandler handler,
      String method,
      String path,
      List<Map.Entry<String, String>> headers) {
    submit(() -> route(handler, method, path, headers));
  }

  /** Fails the exchange before it reached any endpoint (no such in-process deployment). */
  void failUnrouted(TransportException cause) {
    submit(() -> deliverError(cause));
  }

  @Override
  public void write(byte[] data) {
    if (data == null || data.length == 0) {
      return;
    }
    synchronized (submitLock) {
      if (requestEnded || requestCancelled) {
        return;
      }
      loop.execute(() -> toSession(data));
    }
  }

  @Override
  public void end() {
    synchronized (submitLock) {
      if (requestEnded || requestCancelled) {
        return;
      }
      requestEnded = true;
      loop.execute(this::endInput);
    }
  }

  @Override
  public void cancel() {
    synchronized (submitLock) {
      if (requestCancelled) {
        return;
      }
      requestCancelled = true;
      loop.execute(
          () -> {
            deliverError(
                new TransportException(TransportException.Kind.CANCELLED, "exchange cancelled"));
            if (session != null) {
              session.onAbort("exchange cancelled");
            }
          });
    }
  }

  private void submit(Runnable task) {
    synchronized (submitLock) {
      loop.execute(task);
    }
  }

  private void route(
      EndpointHandler handler,
      String method,
      String path,
      List<Map.Entry<String, String>> headers) {
    if (finished) {
      return; // cancelled before it was routed
    }
    ResponseSink sink =
        new ResponseSink() {
          @Override
          public void write(byte[] bytes) {
            fromHandler(() -> deliverData(bytes));
          }

          @Override
          public void end() {
            fromHandler(InProcessExchange.this::deliverEnd);
          }
        };
    EndpointHandler.Routed routed;
    try {
      routed = handler.handle(method, path, name -> header(headers, name), true, sink);
    } catch (RuntimeException e) {
      deliverError(e);
      return;
    }
    if (routed instanceof EndpointHandler.Simple s) {
      List<Map.Entry<String, String>> h = new ArrayList<>(3);
      h.add(Map.entry("content-type", s.contentType()));
      h.add(Map.entry("x-restate-server", SdkVersion.X_RESTATE_SERVER));
      h.add(Map.entry("content-length", Integer.toString(s.body().length)));
      deliverHeaders(s.status(), h);
      deliverData(s.body());
      deliverEnd();
    } else if (routed instanceof EndpointHandler.Invocation inv) {
      // the handler may already run; what it writes is queued behind this task
      deliverHeaders(
          200,
          List.of(
              Map.entry("content-type", inv.contentType()),
              Map.entry("x-restate-server", SdkVersion.X_RESTATE_SERVER)));
      session = inv.session();
    }
  }

  /**
   * A step from a handler thread; dropped once the loops have stopped (the node stopped, the
   * exchange was abandoned and its listener hears nothing more anyway).
   */
  private void fromHandler(Runnable step) {
    try {
      loop.execute(step);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("in-process exchange: a step after the node stopped was dropped");
    }
  }

  private void toSession(byte[] data) {
    if (session != null && !inputEnded) {
      session.onData(data, 0, data.length);
    }
  }

  private void endInput() {
    if (session != null && !inputEnded) {
      inputEnded = true;
      session.onEndOfInput();
    }
  }

  static String header(List<Map.Entry<String, String>> headers, String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  private void deliverHeaders(int status, List<Map.Entry<String, String>> headers) {
    if (finished) {
      return;
    }
    try {
      listener.onResponseHeaders(status, headers);
    } catch (RuntimeException e) {
      LOG.warn("exchange listener failed in onResponseHeaders", e);
    }
  }

  private void deliverData(byte[] data) {
    if (finished) {
      return;
    }
    try {
      listener.onData(data);
    } catch (RuntimeException e) {
      LOG.warn("exchange listener failed in onData", e);
    }
  }

  private void deliverEnd() {
    if (finished) {
      return;
    }
    finish();
    try {
      listener.onEnd();
    } catch (RuntimeException e) {
      LOG.warn("exchange listener failed in onEnd", e);
    }
  }

  private void deliverError(Throwable cause) {
    if (finished) {
      return;
    }
    finish();
    try {
      listener.onError(cause);
    } catch (RuntimeException e) {
      LOG.warn("exchange listener failed in onError", e);
    }
  }
}
