package dev.resolute.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link H2Connection} against a Netty HTTP/2 server handler, both on embedded channels whose bytes
 * the test moves by hand: every frame and its order are deterministic. Covers what real sockets
 * cannot force: streams beyond the peer's SETTINGS_MAX_CONCURRENT_STREAMS waiting in the encoder, a
 * GOAWAY between two open streams, the windows we announce.
 */
class H2ConnectionTest {
  private static final int STREAM_WINDOW = 1 << 20;
  private static final int CONNECTION_WINDOW = 3 << 20;

  private final Object lock = new Object();
  private final List<String> seen = new ArrayList<>();
  private H2Connection conn;
  private EmbeddedChannel client;
  private Http2ConnectionHandler serverHandler;
  private EmbeddedChannel server;

  private void connect(long peerMaxStreams) {
    conn = H2Connection.create("http://test", 100, STREAM_WINDOW, CONNECTION_WINDOW, lock);
    serverHandler =
        new Http2ConnectionHandlerBuilder()
            .server(true)
            .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(peerMaxStreams))
            .frameListener(new Recorder())
            .build();
    server = new EmbeddedChannel(serverHandler);
    client = new EmbeddedChannel(conn);
    pump();
    assertThat(conn.ready).isCompleted();
    seen.clear();
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.finishAndReleaseAll();
    }
    if (server != null) {
      server.finishAndReleaseAll();
    }
  }

  /** Moves bytes both ways until neither side has anything left to say. */
  private void pump() {
    boolean moved = true;
    while (moved) {
      moved = false;
      client.runPendingTasks();
      server.runPendingTasks();
      for (Object o; (o = client.readOutbound()) != null; ) {
        server.writeInbound(o);
        moved = true;
      }
      for (Object o; (o = server.readOutbound()) != null; ) {
        client.writeInbound(o);
        moved = true;
      }
    }
  }

  private ChannelHandlerContext serverCtx() {
    return server.pipeline().context(serverHandler);
  }

  private void respondHeaders(int stream, boolean end) {
    serverHandler
        .encoder()
        .writeHeaders(
            serverCtx(),
            stream,
            new DefaultHttp2Headers().status("200"),
            0,
            end,
            server.newPromise());
    server.flush();
  }

  private void respondData(int stream, String text, boolean end) {
    serverHandler
        .encoder()
        .writeData(
            serverCtx(),
            stream,
            Unpooled.copiedBuffer(text, StandardCharsets.UTF_8),
            0,
            end,
            server.newPromise());
    server.flush();
  }

  /** Opens an exchange on the connection as the pool does (slot reserved, then started). */
  private H2Exchange open(RecordingListener l, String... header) {
    Http2Headers h =
        new DefaultHttp2Headers().method("POST").scheme("http").authority("test").path("/p");
    for (int i = 0; i < header.length; i += 2) {
      h.add(header[i], header[i + 1]);
    }
    H2Exchange ex = new H2Exchange(h, l);
    ex.connection = conn;
    synchronized (lock) {
      conn.active++;
    }
    conn.start(ex);
    return ex;
  }

  private int active() {
    synchronized (lock) {
      return conn.active;
    }
  }

  @Test
  void announcesTheConfiguredStreamAndConnectionWindows() {
    conn = H2Connection.create("http://test", 100, STREAM_WINDOW, CONNECTION_WINDOW, lock);
    serverHandler =
        new Http2ConnectionHandlerBuilder().server(true).frameListener(new Recorder()).build();
    server = new EmbeddedChannel(serverHandler);
    client = new EmbeddedChannel(conn);
    pump();
    assertThat(seen)
        .containsSubsequence(
            "SETTINGS initialWindow=" + STREAM_WINDOW + " push=false",
            "WINDOW_UPDATE 0 " + (CONNECTION_WINDOW - 65535));
    assertThat(
            serverHandler
                .connection()
                .remote()
                .flowController()
                .windowSize(serverHandler.connection().connectionStream()))
        .isEqualTo(CONNECTION_WINDOW);
  }

  @Test
  void streamsBeyondThePeersLimitWaitInTheEncoderAndAllComplete() throws Exception {
    connect(1);
    List<RecordingListener> ls = new ArrayList<>();
    List<H2Exchange> exs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RecordingListener l = new RecordingListener();
      H2Exchange ex = open(l);
      ex.write(("req" + i).getBytes(StandardCharsets.UTF_8));
      ls.add(l);
      exs.add(ex);
    }
    pump();
    // only the first stream (Netty's first client stream id is 3) is on the wire; the other two
    // (with their DATA) are buffered
    assertThat(seen).containsExactly("HEADERS 3 end=false", "DATA 3 req0 end=false");
    assertThat(active()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      int id = 3 + 2 * i;
      seen.clear();
      exs.get(i).end();
      pump();
      assertThat(seen).containsExactly("DATA " + id + "  end=true");
      seen.clear();
      respondHeaders(id, false);
      respondData(id, "resp" + i, true);
      pump(); // the stream closes: the next buffered one goes out, DATA included
      assertThat(ls.get(i).status.getNow(null)).isEqualTo(200);
      assertThat(ls.get(i).chunks.poll()).isEqualTo("resp" + i);
      assertThat(ls.get(i).done).isCompleted();
      if (i < 2) {
        assertThat(seen)
            .containsExactly(
                "HEADERS " + (id + 2) + " end=false",
                "DATA " + (id + 2) + " req" + (i + 1) + " end=false");
      } else {
        assertThat(seen).isEmpty();
      }
    }
    assertThat(active()).isZero();
    for (RecordingListener l : ls) {
      assertThat(l.terminalCalls).isEqualTo(1);
    }
  }

  @Test
  void aStreamResetByThePeerFailsAloneAndItsNeighbourCompletes() throws Exception {
    connect(100);
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    H2Exchange exA = open(a);
    H2Exchange exB = open(b);
    exA.write("a".getBytes(StandardCharsets.UTF_8));
    exB.write("b".getBytes(StandardCharsets.UTF_8));
    pump();
    respondHeaders(3, false);
    respondHeaders(5, false);
    respondData(3, "partial", false);
    pump();
    assertThat(a.chunks.poll()).isEqualTo("partial");
    serverHandler
        .encoder()
        .writeRstStream(serverCtx(), 3, Http2Error.INTERNAL_ERROR.code(), server.newPromise());
    server.flush();
    pump();
    assertThat(failure(a.done)).isInstanceOf(TransportException.class);
    assertThat(((TransportException) failure(a.done)).kind())
        .isEqualTo(TransportException.Kind.RESET);
    assertThat(failure(a.done)).hasMessageContaining("error code 2");
    assertThat(active()).isEqualTo(1);
    // writes of the reset exchange are dropped, the other stream goes on
    seen.clear();
    exA.write("late".getBytes(StandardCharsets.UTF_8));
    exB.write("more".getBytes(StandardCharsets.UTF_8));
    exB.end();
    pump();
    assertThat(seen).containsExactly("DATA 5 more end=false", "DATA 5  end=true");
    respondData(5, "done", true);
    pump();
    assertThat(b.done).isCompleted();
    assertThat(b.chunks.poll()).isEqualTo("done");
    assertThat(active()).isZero();
    assertThat(conn.usable).isTrue();
  }

  @Test
  void goAwayFailsTheStreamsAboveItsLastIdAndLetsTheOthersFinish() throws Exception {
    connect(100);
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    H2Exchange exA = open(a);
    open(b);
    pump();
    serverHandler.goAway(
        serverCtx(), 3, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, server.newPromise());
    server.flush();
    pump();
    assertThat(conn.usable).isFalse();
    assertThat(((TransportException) failure(b.done)).kind())
        .isEqualTo(TransportException.Kind.CLOSED);
    assertThat(failure(b.done)).hasMessageContaining("GOAWAY");
    assertThat(a.done).isNotDone();
    respondHeaders(3, false);
    respondData(3, "ok", true);
    exA.end();
    pump();
    assertThat(a.done).isCompleted();
    assertThat(active()).isZero();
    // a stream started after the GOAWAY fails at once without touching the wire
    RecordingListener c = new RecordingListener();
    seen.clear();
    open(c);
    pump();
    assertThat(((TransportException) failure(c.done)).kind())
        .isEqualTo(TransportException.Kind.CLOSED);
    assertThat(seen).isEmpty();
    assertThat(active()).isZero();
  }

  @Test
  void cancelSendsRstStreamCancelAndFreesTheSlot() throws Exception {
    connect(100);
    RecordingListener a = new RecordingListener();
    H2Exchange ex = open(a);
    ex.write("x".getBytes(StandardCharsets.UTF_8));
    pump();
    seen.clear();
    ex.cancel();
    pump();
    assertThat(seen).containsExactly("RST 3 " + Http2Error.CANCEL.code());
    assertThat(((TransportException) failure(a.done)).kind())
        .isEqualTo(TransportException.Kind.CANCELLED);
    assertThat(active()).isZero();
  }

  @Test
  void cancellingABufferedStreamSendsNothingAndFreesTheSlot() throws Exception {
    connect(1);
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    open(a);
    H2Exchange exB = open(b);
    pump();
    seen.clear();
    exB.cancel();
    pump();
    assertThat(seen).isEmpty(); // stream 3 never reached the peer
    assertThat(((TransportException) failure(b.done)).kind())
        .isEqualTo(TransportException.Kind.CANCELLED);
    assertThat(active()).isEqualTo(1);
  }

  @Test
  void theConnectionClosingFailsOpenAndBufferedStreams() throws Exception {
    connect(1);
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    open(a);
    open(b);
    pump();
    client.close();
    client.runPendingTasks();
    assertThat(client.isOpen()).isFalse();
    assertThat(((TransportException) failure(a.done)).kind())
        .isEqualTo(TransportException.Kind.CLOSED);
    assertThat(((TransportException) failure(b.done)).kind())
        .isEqualTo(TransportException.Kind.CLOSED);
    assertThat(active()).isZero();
    assertThat(conn.usable).isFalse();
  }

  @Test
  void aResponseEndingBeforeTheRequestResetsOurSide() throws Exception {
    connect(100);
    RecordingListener a = new RecordingListener();
    open(a).write("x".getBytes(StandardCharsets.UTF_8));
    pump();
    seen.clear();
    respondHeaders(3, false);
    respondData(3, "bye", true);
    pump();
    assertThat(a.done).isCompleted();
    assertThat(seen).containsExactly("RST 3 " + Http2Error.CANCEL.code());
    assertThat(active()).isZero();
  }

  /**
   * The invocation id changes with every stream: HPACK sends it as a literal that is never indexed
   * (a repeated value costs its full length again), while an ordinary header repeated on the next
   * stream shrinks to an index.
   */
  @Test
  void perStreamHeadersAreNeverIndexed() {
    connect(100);
    String value = "inv_1abcdefghijklmnopqrstuvwxyz0123456789ABCDEF";
    open(new RecordingListener(), "x-restate-invocation-id", value);
    int firstId = headersFrameLength();
    open(new RecordingListener(), "x-restate-invocation-id", value);
    int secondId = headersFrameLength();
    open(new RecordingListener(), "x-plain", value);
    headersFrameLength();
    open(new RecordingListener(), "x-plain", value);
    int secondPlain = headersFrameLength();
    assertThat(secondId).isGreaterThan(value.length() / 2).isGreaterThan(firstId - 10);
    assertThat(secondPlain).isLessThan(10);
  }

  /** The payload length of the HEADERS frame the client wrote last; its bytes go on to the peer. */
  private int headersFrameLength() {
    int length = -1;
    for (Object o; (o = client.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      for (int i = b.readerIndex(); i + 9 <= b.writerIndex(); i += 9 + b.getUnsignedMedium(i)) {
        if (b.getByte(i + 3) == 0x1) {
          length = b.getUnsignedMedium(i);
        }
      }
      server.writeInbound(b);
    }
    pump();
    assertThat(length).isPositive();
    return length;
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** What the server reads, one line per frame. */
  private final class Recorder extends Http2EventAdapter {
    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      if (settings.initialWindowSize() != null) {
        seen.add(
            "SETTINGS initialWindow="
                + settings.initialWindowSize()
                + " push="
                + settings.pushEnabled());
      }
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int increment) {
      seen.add("WINDOW_UPDATE " + streamId + " " + increment);
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
        boolean endStream) {
      seen.add("HEADERS " + streamId + " end=" + endStream);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean end) {
      seen.add("HEADERS " + streamId + " end=" + end);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean end) {
      seen.add("DATA " + streamId + " " + data.toString(StandardCharsets.UTF_8) + " end=" + end);
      return data.readableBytes() + padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      seen.add("RST " + streamId + " " + errorCode);
    }
  }
}
