package dev.resolute.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request-side state shared by the HTTP/2 and HTTP/1.1 exchanges: operations issued before the
 * channel is attached are buffered, and every operation is executed on the channel's event loop in
 * issue order (tasks are submitted under a lock, so cross-thread order is preserved); the
 * operations queued before a task runs are written by it and flushed once.
 *
 * <p>Listener callbacks happen on the event loop; {@link #deliverEnd()} / {@link #deliverError}
 * make sure exactly one terminal callback is delivered.
 */
abstract class BaseExchange implements Exchange {
  private static final Logger LOG = LoggerFactory.getLogger(BaseExchange.class);
  private static final Object END = new Object();

  final ExchangeListener listener;
  private final Object lock = new Object();
  private List<Object> pending = new ArrayList<>();
  private Channel channel;
  private boolean ended;
  private boolean cancelled;

  /** Operations for the event loop not yet written, and whether a drain is queued (lock). */
  private final List<Object> queued = new ArrayList<>(2);

  private boolean drainScheduled;

  /** The head and the operations issued before {@link #attach} are written (lock). */
  private boolean headWritten;

  /** Event-loop confined once attached. */
  private boolean finished;

  private boolean headersDelivered;

  BaseExchange(ExchangeListener listener) {
    this.listener = listener;
  }

  @Override
  public final void write(byte[] data) {
    if (data == null || data.length == 0) {
      return;
    }
    submit(data, false);
  }

  @Override
  public final void end() {
    submit(END, true);
  }

  /**
   * Issues a chunk or {@link #END} ({@code last}: marks the request ended): buffered until the
   * channel is attached, then queued for its event loop, or written at once on it (see {@link
   * #enqueue}). Ignored once the request ended or the exchange was cancelled.
   */
  private void submit(Object op, boolean last) {
    Channel inline;
    synchronized (lock) {
      if (ended || cancelled) {
        return;
      }
      ended = last;
      if (channel == null) {
        pending.add(op);
        return;
      }
      inline = enqueue(op);
    }
    if (inline != null) {
      drain(inline);
    }
  }

  /**
   * Queues an operation for the event loop (under {@link #lock}): operations issued before the
   * queued drain runs go out with it, written in order and flushed once (one task and one socket
   * write for, e.g., a completion and the end of the request). Returns the channel when the caller
   * is its event loop and the head is out: the caller then drains at once, outside the lock (no
   * task; inside a read, as when the deployment's End arrives, the connection's flush waits for the
   * end of the read and goes out with the other streams').
   */
  private Channel enqueue(Object op) {
    queued.add(op);
    Channel ch = channel;
    if (headWritten && ch.eventLoop().inEventLoop()) {
      return ch;
    }
    if (!drainScheduled) {
      drainScheduled = true;
      ch.eventLoop().execute(() -> drain(ch));
    }
    return null;
  }

  private void drain(Channel ch) {
    Object[] ops;
    synchronized (lock) {
      ops = queued.toArray();
      queued.clear();
      drainScheduled = false;
    }
    writeOps(ch, java.util.Arrays.asList(ops));
    ch.flush();
  }

  /** Writes request chunks and the end marker, in order, without flushing. */
  private void writeOps(Channel ch, List<Object> ops) {
    for (Object op : ops) {
      if (op == END) {
        writeEnd(ch);
      } else {
        writeChunk(ch, (byte[]) op);
      }
    }
  }

  @Override
  public final void cancel() {
    Channel ch;
    synchronized (lock) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      ch = channel;
    }
    if (ch != null) {
      ch.eventLoop()
          .execute(
              () -> {
                deliverError(
                    new TransportException(
                        TransportException.Kind.CANCELLED, "exchange cancelled"));
                abort(ch);
              });
    }
  }

  final boolean requestEnded() {
    synchronized (lock) {
      return ended;
    }
  }

  final boolean isCancelled() {
    synchronized (lock) {
      return cancelled;
    }
  }

  /**
   * Binds the exchange to its channel (call on the channel's event loop): writes the request head,
   * then the buffered operations. If the exchange was cancelled meanwhile, the channel is aborted.
   */
  final void attach(Channel ch) {
    List<Object> ops;
    synchronized (lock) {
      channel = ch;
      if (cancelled) {
        ch.eventLoop()
            .execute(
                () -> {
                  deliverError(
                      new TransportException(
                          TransportException.Kind.CANCELLED, "exchange cancelled"));
                  abort(ch);
                });
        return;
      }
      ops = pending;
      pending = null;
    }
    if (ch.eventLoop().inEventLoop()) {
      writeFirst(ch, ops); // the usual case: the stream opened on its event loop (no task)
    } else {
      ch.eventLoop().execute(() -> writeFirst(ch, ops));
    }
  }

  /**
   * Writes the head and the operations issued before the channel was attached, then flushes; on the
   * channel's event loop. Operations issued meanwhile were queued behind it (a task: {@link
   * #enqueue} drains inline only once this has run).
   */
  private void writeFirst(Channel ch, List<Object> ops) {
    boolean endOnly = ops.size() == 1 && ops.get(0) == END;
    writeHead(ch, endOnly);
    if (!endOnly) {
      writeOps(ch, ops);
    }
    synchronized (lock) {
      headWritten = true;
    }
    ch.flush();
  }

  /** Fails an exchange that never got a channel (connect failure). */
  final void failUnattached(Throwable cause) {
    deliverError(cause);
  }

  /**
   * Writes the request head; {@code endOfRequest} = there is no body at all. This and the two below
   * write without flushing: the caller flushes once after a batch of them.
   */
  abstract void writeHead(Channel ch, boolean endOfRequest);

  abstract void writeChunk(Channel ch, byte[] data);

  abstract void writeEnd(Channel ch);

  /** Stops the exchange abruptly (RST_STREAM / connection close). */
  abstract void abort(Channel ch);

  final void failOnWriteError(ChannelFuture f) {
    f.addListener(
        r -> {
          if (!r.isSuccess()) {
            deliverError(r.cause());
            abort(f.channel());
          }
        });
  }

  final boolean isFinished() {
    return finished;
  }

  final void deliverHeaders(int status, List<Map.Entry<String, String>> headers) {
    if (finished || headersDelivered) {
      return;
    }
    headersDelivered = true;
    try {
      listener.onResponseHeaders(status, headers);
    } catch (RuntimeException e) {
      LOG.warn("exchange listener failed in onResponseHeaders", e);
    }
  }

  final void deliverData(byte[] data) {
    if (finished) {
      return;
    }
    try {
      listener.onData(data);
    } catch (RuntimeException e) {
      LOG.warn("exchange listener failed in onData", e);
    }
  }

  /** Returns true if this call delivered the terminal onEnd. */
  final boolean deliverEnd() {
    if (finished) {
      return false;
    }
    finished = true;
    try {
      listener.onEnd();
    } catch (RuntimeException e) {
      LOG.warn("exchange listener failed in onEnd", e);
    }
    return true;
  }

  final boolean deliverError(Throwable cause) {
    if (finished) {
      return false;
    }
    finished = true;
    TransportException tls =
        cause instanceof TransportException ? null : TransportException.tlsFailure(cause);
    try {
      listener.onError(tls != null ? tls : cause);
    } catch (RuntimeException e) {
      LOG.warn("exchange listener failed in onError", e);
    }
    return true;
  }
}
