package dev.resolute.sdk.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.protocol.Frame;
import dev.resolute.protocol.FrameCodec;
import dev.resolute.protocol.FrameDecoder;
import dev.resolute.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One invocation stream seen from the server side, on some transport; plays a {@link ProtocolCase}.
 */
abstract class Conversation {
  final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
  final CountDownLatch ended = new CountDownLatch(1);
  private final FrameDecoder decoder = new FrameDecoder(Integer.MAX_VALUE);

  abstract void send(byte[] bytes);

  abstract void closeInput();

  /** Called by the transport with response bytes (any chunking). */
  synchronized void onResponseBytes(byte[] bytes) {
    try {
      decoder.feed(bytes, 0, bytes.length, received::add);
    } catch (ProtocolException e) {
      throw new IllegalStateException(e);
    }
  }

  void onResponseEnd() {
    ended.countDown();
  }

  void play(ProtocolCase c) throws InterruptedException {
    for (ProtocolCase.Step step : c.steps()) {
      if (step instanceof ProtocolCase.Send s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.frames().forEach(f -> out.writeBytes(FrameCodec.encode(f)));
        send(out.toByteArray());
      } else if (step instanceof ProtocolCase.CloseInput) {
        closeInput();
      } else if (step instanceof ProtocolCase.Expect e) {
        List<Frame> got = new ArrayList<>();
        for (int i = 0; i < e.frames().size(); i++) {
          Frame f = received.poll(5, TimeUnit.SECONDS);
          if (f == null) {
            break;
          }
          got.add(f);
        }
        assertThat(Frames.normalize(got))
            .as("frames out")
            .containsExactlyElementsOf(Frames.normalize(e.frames()));
      }
    }
    assertThat(ended.await(5, TimeUnit.SECONDS)).as("response ended").isTrue();
    Thread.sleep(20);
    assertThat(Frames.normalize(new ArrayList<>(received))).as("no further frames").isEmpty();
  }
}
