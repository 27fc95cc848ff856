package dev.resolute.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * Sits in front of the body aggregation of one HTTP/1.1 connection or one HTTP/2 stream and sees
 * each request's header as it arrives:
 *
 * <ul>
 *   <li>a request with more header fields than {@link HttpLimits#MAX_HEADER_FIELDS} is marked
 *       failed (the request handler answers 431), before aggregation adds fields of its own;
 *   <li>the connection's {@link ConnectionTimeouts} learn that the header is complete;
 *   <li>the request reserves its body in the port's {@link BodyBudget} before any of the body is
 *       read. If it does not fit, this request and everything read after it are held and the
 *       channel stops reading until the reservation is granted — so the bodies a port holds stay
 *       bounded however many clients send at once.
 * </ul>
 *
 * <p>The request handler calls {@link #responded()} once per request it answers; reservations are
 * released oldest first (HTTP/1.1 answers in order; an HTTP/2 stream carries one request). Runs on
 * the channel's event loop; grants from other threads hop onto it.
 */
final class RequestGate extends ChannelInboundHandlerAdapter {
  private final BodyBudget budget;
  private final int maxBodyBytes;

  /** The reserved cost of each request passed on and not yet answered, oldest first. */
  private final ArrayDeque<Long> reserved = new ArrayDeque<>();

  /** Messages read while a reservation waits, in order; the first is that request's header. */
  private final ArrayDeque<Object> held = new ArrayDeque<>();

  private BodyBudget.Waiter waiting;
  private ChannelHandlerContext ctx;
  private boolean closed;

  RequestGate(BodyBudget budget, int maxBodyBytes) {
    this.budget = budget;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (waiting != null) {
      held.add(msg);
      return;
    }
    pass(msg);
  }

  /** Passes one message on, unless it is a request header whose body has to wait for the budget. */
  private void pass(Object msg) {
    if (msg instanceof HttpRequest req) {
      if (req.decoderResult().isSuccess() && headerFields(req) > HttpLimits.MAX_HEADER_FIELDS) {
        req.setDecoderResult(
            DecoderResult.failure(
                new TooLongHttpHeaderException(
                    "more than " + HttpLimits.MAX_HEADER_FIELDS + " header fields")));
      }
      ConnectionTimeouts timeouts = ConnectionTimeouts.of(ctx.channel());
      long declared = HttpUtil.getContentLength(req, -1L);
      if (declared > maxBodyBytes) {
        // the aggregator refuses it (413) without calling the request handler: nothing to reserve
        if (timeouts != null) {
          timeouts.headerRefused();
        }
        ctx.fireChannelRead(msg);
        return;
      }
      if (timeouts != null) {
        timeouts.headerRead();
      }
      long bytes =
          declared >= 0 ? declared : HttpUtil.isTransferEncodingChunked(req) ? maxBodyBytes : 0;
      if (bytes > 0 && req.decoderResult().isSuccess()) {
        long cost = budget.cost(bytes);
        BodyBudget.Waiter w =
            budget.acquire(bytes, () -> ctx.executor().execute(() -> granted(cost)));
        if (w != null) {
          waiting = w;
          held.add(msg);
          ctx.channel().config().setAutoRead(false);
          return;
        }
        reserved.add(cost);
      } else {
        reserved.add(0L);
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void granted(long cost) {
    if (closed || waiting == null) {
      // closed first: close() cancelled the waiter, and cancelling a granted waiter already gave
      // its bytes back; releasing them here as well would count them twice
      return;
    }
    waiting = null;
    reserved.add(cost);
    ctx.fireChannelRead(held.poll());
    while (waiting == null && !held.isEmpty()) {
      pass(held.poll());
    }
    if (waiting == null) {
      ctx.channel().config().setAutoRead(true);
      ctx.read();
    }
  }

  /** The oldest request passed on was answered (or dropped): its reservation goes back. */
  void responded() {
    if (ctx.executor().inEventLoop()) {
      release();
    } else {
      ctx.executor().execute(this::release);
    }
  }

  private void release() {
    Long cost = reserved.poll();
    if (cost != null && cost > 0) {
      budget.release(cost);
    }
    ConnectionTimeouts timeouts = ConnectionTimeouts.of(ctx.channel());
    if (timeouts != null) {
      timeouts.responded();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    close();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    close();
  }

  /** The connection or stream is gone: every reservation goes back, held messages are freed. */
  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (waiting != null) {
      waiting.cancel();
      waiting = null;
    }
    for (Long cost; (cost = reserved.poll()) != null; ) {
      if (cost > 0) {
        budget.release(cost);
      }
    }
    for (Object m; (m = held.poll()) != null; ) {
      ReferenceCountUtil.release(m);
    }
  }

  /**
   * Header fields the client sent (not the {@code x-http2-*} ones Netty adds for HTTP/2 streams).
   */
  static int headerFields(HttpRequest req) {
    int n = 0;
    for (Map.Entry<String, String> h : req.headers()) {
      if (!h.getKey().regionMatches(true, 0, "x-http2-", 0, 8)) {
        n++;
      }
    }
    return n;
  }
}
