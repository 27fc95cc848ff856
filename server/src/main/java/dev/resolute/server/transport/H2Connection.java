package dev.resolute.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.StreamBufferingEncoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * One pooled HTTP/2 connection to a deployment: Netty's {@link Http2ConnectionHandler} (the last
 * handler of the channel's pipeline) with the pool's bookkeeping. Streams are no channels of their
 * own: each {@link H2Exchange} is registered under its stream id, its HEADERS and DATA are written
 * with the connection's encoder on the event loop, and inbound frames are dispatched to it by id
 * from the frame listener. Flow control: the bytes of every inbound DATA frame are copied out and
 * returned to the window at once (the listener reports them all processed); we announce the
 * configured stream window in SETTINGS and raise the connection window to the configured size right
 * after the preface.
 *
 * <p>Threading: pool counters ({@link #active}) are guarded by the pool's lock; everything else of
 * the stream table runs on the channel's event loop. The encoder buffers streams beyond the peer's
 * SETTINGS_MAX_CONCURRENT_STREAMS ({@link StreamBufferingEncoder}); a buffered stream has an id and
 * an entry here but no {@link Http2Stream} yet.
 *
 * <p>ByteBuf ownership: DATA passed to {@link #writeData} belongs to the encoder from then on
 * (released once written or failed); inbound DATA is copied and released by Netty's decoder after
 * the listener returns; nothing else is retained.
 */
final class H2Connection extends Http2ConnectionHandler {
  /** Streams we hand out before the peer's SETTINGS arrive (Vert.x announces 100). */
  static final int INITIAL_LIMIT = Http2CodecUtil.SMALLEST_MAX_CONCURRENT_STREAMS;

  final String key;

  /** Streams reserved or open on this connection (pool lock). */
  int active;

  /** min(configured max, peer's SETTINGS_MAX_CONCURRENT_STREAMS). */
  volatile int limit;

  /** False after GOAWAY, a connection error or close: no new streams. */
  volatile boolean usable = true;

  /** Why the connection failed (classified), or null. */
  volatile Throwable error;

  /** Completes with the channel once connected (the SETTINGS exchange may still be in flight). */
  final CompletableFuture<Channel> ready = new CompletableFuture<>();

  private final int maxStreams;
  private final int connectionWindow;
  private final Object poolLock;

  /** Exchanges by stream id, buffered streams included (event loop). */
  private final IntObjectMap<H2Exchange> streams = new IntObjectHashMap<>();

  private ChannelHandlerContext ctx;

  /** What a stream closed by the peer's GOAWAY reports, or null (event loop). */
  private TransportException goAway;

  private H2Connection(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings initialSettings,
      String key,
      int maxStreams,
      int connectionWindow,
      Object poolLock) {
    super(decoder, encoder, initialSettings, false, false);
    this.key = key;
    this.maxStreams = maxStreams;
    this.limit = Math.min(INITIAL_LIMIT, maxStreams);
    this.connectionWindow = connectionWindow;
    this.poolLock = poolLock;
    Events events = new Events();
    decoder.frameListener(events);
    connection().addListener(events);
  }

  /**
   * A client connection handler: HPACK without indexing for {@link NettyDeploymentClient#unindexed}
   * headers, streams beyond the peer's limit buffered, and {@code close()} not waiting for open
   * streams (a graceful shutdown timeout of 0, as Netty's frame codec has by default).
   *
   * @param poolLock guards {@link #active}
   */
  static H2Connection create(
      String key, int maxStreams, int initialStreamWindow, int connectionWindow, Object poolLock) {
    return new Builder(key, maxStreams, initialStreamWindow, connectionWindow, poolLock).build();
  }

  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<H2Connection, Builder> {
    private final String key;
    private final int maxStreams;
    private final int connectionWindow;
    private final Object poolLock;

    Builder(
        String key,
        int maxStreams,
        int initialStreamWindow,
        int connectionWindow,
        Object poolLock) {
      this.key = key;
      this.maxStreams = maxStreams;
      this.connectionWindow = connectionWindow;
      this.poolLock = poolLock;
      server(false);
      initialSettings(
          Http2Settings.defaultSettings()
              .initialWindowSize(initialStreamWindow)
              .maxFrameSize(Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE)
              .pushEnabled(false));
      gracefulShutdownTimeoutMillis(0);
      encoderEnforceMaxConcurrentStreams(true);
      headerSensitivityDetector(NettyDeploymentClient::unindexed);
      // the preface, SETTINGS and our WINDOW_UPDATE go out with one flush (channelActive)
      flushPreface(false);
    }

    @Override
    public H2Connection build() {
      return super.build();
    }

    @Override
    protected H2Connection build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      return new H2Connection(
          decoder, encoder, settings, key, maxStreams, connectionWindow, poolLock);
    }
  }

  // ---------------------------------------------------------------- pool

  /** Gives a reserved stream slot back to the pool (any thread). */
  void releaseSlot() {
    synchronized (poolLock) {
      active--;
    }
  }

  /**
   * Starts an exchange that reserved a slot here (on the event loop, once {@link #ready}): writes
   * its head and whatever it buffered, or fails it if the connection is gone or going away.
   */
  void start(H2Exchange ex) {
    if (!ctx.channel().isActive() || goAway != null) {
      releaseSlot();
      Throwable err = error;
      ex.failUnattached(
          err != null
              ? err
              : goAway != null
                  ? goAway
                  : new TransportException(
                      TransportException.Kind.CLOSED, "HTTP/2 connection closed"));
      return;
    }
    ex.attach(ctx.channel());
  }

  // ---------------------------------------------------------------- writes (event loop)

  /** Opens the exchange's stream with its request headers (not flushed). */
  void writeHeaders(H2Exchange ex, Http2Headers headers, boolean endStream) {
    int id = connection().local().incrementAndGetNextStreamId();
    if (id < 0) {
      usable = false; // stream ids exhausted: new streams go to another connection
      ex.deliverError(
          new TransportException(
              TransportException.Kind.CLOSED, "HTTP/2 stream ids of the connection exhausted"));
      detach(ex);
      return;
    }
    ex.streamId = id;
    streams.put(id, ex);
    encoder().writeHeaders(ctx, id, headers, 0, endStream, ctx.newPromise()).addListener(ex);
  }

  /** Writes a DATA frame of the exchange's stream (not flushed); {@code data} is the encoder's. */
  void writeData(H2Exchange ex, ByteBuf data, boolean endStream) {
    encoder().writeData(ctx, ex.streamId, data, 0, endStream, ctx.newPromise()).addListener(ex);
  }

  /**
   * Stops the exchange's stream: RST_STREAM(CANCEL) if it is open (its slot returns when the stream
   * closes), dropped from the encoder's buffer if it was waiting there; flushed.
   */
  void reset(H2Exchange ex) {
    if (ex.detached) {
      return;
    }
    if (ex.streamId == 0) {
      detach(ex); // its head was never written
      return;
    }
    encoder().writeRstStream(ctx, ex.streamId, Http2Error.CANCEL.code(), ctx.newPromise());
    if (connection().stream(ex.streamId) == null) {
      detach(ex); // buffered: the encoder dropped it, no frame was sent
    }
    flush(ctx);
  }

  /** A write of the exchange failed: it fails, and its stream is reset or forgotten. */
  void writeFailed(H2Exchange ex, Throwable cause) {
    ex.deliverError(writeError(cause));
    if (ex.detached) {
      return;
    }
    Http2Stream s = connection().stream(ex.streamId);
    if (s == null) {
      detach(ex); // never created (buffered and failed, or refused)
    } else {
      reset(ex);
    }
  }

  private Throwable writeError(Throwable cause) {
    Throwable err = error;
    if (err != null) {
      return err;
    }
    if (cause instanceof StreamBufferingEncoder.Http2GoAwayException && goAway != null) {
      return goAway;
    }
    if (cause instanceof StreamBufferingEncoder.Http2ChannelClosedException
        || cause instanceof ClosedChannelException) {
      return new TransportException(
          TransportException.Kind.CLOSED, "HTTP/2 connection closed", cause);
    }
    return classify(cause);
  }

  /** Forgets the exchange and gives its slot back, once. */
  private void detach(H2Exchange ex) {
    if (ex.detached) {
      return;
    }
    ex.detached = true;
    if (ex.streamId > 0) {
      streams.remove(ex.streamId);
    }
    releaseSlot();
  }

  // ---------------------------------------------------------------- connection lifecycle

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
  }

  /**
   * The preface and our SETTINGS are written by now (connect promise listeners run before
   * channelActive, so this must not happen there); the connection window is raised before the first
   * flush.
   */
  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    int increment = connectionWindow - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
    if (increment > 0) {
      connection()
          .local()
          .flowController()
          .incrementWindowSize(connection().connectionStream(), increment);
    }
    ready.complete(ctx.channel());
    flush(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    usable = false;
    // closes every stream (each exchange not finished fails) and fails the buffered ones
    super.channelInactive(ctx);
    Throwable why =
        error != null
            ? error
            : new TransportException(TransportException.Kind.CLOSED, "HTTP/2 connection closed");
    ready.completeExceptionally(why);
    if (!streams.isEmpty()) {
      for (H2Exchange ex : new ArrayList<>(streams.values())) {
        detach(ex);
        ex.deliverError(why);
      }
    }
  }

  /** Errors of the HTTP/2 layer go to Netty's handling; others (I/O, TLS) close the connection. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
      super.exceptionCaught(ctx, cause);
      return;
    }
    usable = false;
    if (error == null) {
      error = classify(cause);
    }
    ctx.close();
  }

  @Override
  protected void onConnectionError(
      ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception http2Ex) {
    usable = false;
    if (!outbound && error == null) {
      error = classify(cause);
    }
    super.onConnectionError(ctx, outbound, cause, http2Ex);
  }

  /**
   * A stream error in what the peer sent (e.g. a flow-control violation on one stream) fails that
   * exchange alone; Netty then resets the stream with the error's code.
   */
  @Override
  protected void onStreamError(
      ChannelHandlerContext ctx,
      boolean outbound,
      Throwable cause,
      Http2Exception.StreamException http2Ex) {
    H2Exchange ex = streams.get(http2Ex.streamId());
    if (ex != null && !outbound) {
      ex.deliverError(
          new TransportException(
              TransportException.Kind.PROTOCOL,
              "HTTP/2 stream error: " + cause.getMessage(),
              cause));
    }
    super.onStreamError(ctx, outbound, cause, http2Ex);
  }

  /** Why a stream that closed before its response ended failed. */
  private Throwable streamClosedError() {
    Throwable err = error;
    if (err != null) {
      return err;
    }
    if (goAway != null) {
      return goAway;
    }
    return new TransportException(
        TransportException.Kind.CLOSED, "HTTP/2 stream closed before the response ended");
  }

  /**
   * An HTTP/2 connection error whose first bytes look like "HTTP/" means the peer answered in
   * HTTP/1.x: report it as a {@link TransportException.Kind#PROTOCOL} failure.
   */
  static Throwable classify(Throwable cause) {
    TransportException tls = TransportException.tlsFailure(cause);
    if (tls != null) {
      return tls;
    }
    String m = String.valueOf(cause.getMessage());
    if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
      boolean http1 = m.contains("485454502f") || m.contains("HTTP/1") || m.contains("preface");
      return new TransportException(
          TransportException.Kind.PROTOCOL,
          (http1
                  ? "the deployment answered with HTTP/1.x to an HTTP/2 prior-knowledge request: "
                  : "HTTP/2 error: ")
              + m,
          cause);
    }
    return new TransportException(
        TransportException.Kind.CLOSED, "HTTP/2 connection failed: " + m, cause);
  }

  // ---------------------------------------------------------------- inbound (event loop)

  /**
   * Frame and stream events of the connection. Nothing here throws: an exception out of a listener
   * would become a connection error and fail every stream.
   */
  private final class Events extends Http2EventAdapter {
    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream) {
      H2Exchange ex = streams.get(streamId);
      if (ex != null) {
        ex.onHeaders(headers, endOfStream);
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    /** The bytes are copied before this returns: all of them go back to the window at once. */
    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      H2Exchange ex = streams.get(streamId);
      if (ex != null) {
        ex.onData(data, endOfStream);
      }
      return data.readableBytes() + padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      H2Exchange ex = streams.get(streamId);
      if (ex != null) {
        ex.deliverError(
            new TransportException(
                TransportException.Kind.RESET,
                "stream reset by deployment (error code " + errorCode + ")"));
      }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      // the decoder applied them already: maxActiveStreams is the peer's current limit
      limit = Math.max(1, Math.min(maxStreams, connection().local().maxActiveStreams()));
    }

    /** Called before Netty closes the streams above {@code lastStreamId}. */
    @Override
    public void onGoAwayRead(
        ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
      usable = false;
      goAway =
          new TransportException(
              TransportException.Kind.CLOSED,
              "the deployment sent GOAWAY (error code "
                  + errorCode
                  + ", last stream "
                  + lastStreamId
                  + ") before the response ended");
    }

    @Override
    public void onStreamClosed(Http2Stream stream) {
      H2Exchange ex = streams.get(stream.id());
      if (ex != null) {
        detach(ex);
        if (!ex.isFinished()) {
          ex.deliverError(streamClosedError());
        }
      }
    }
  }
}
