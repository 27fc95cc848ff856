package dev.resolute.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.resolute.protocol.Frame;
import dev.resolute.protocol.FrameCodec;
import dev.resolute.protocol.FrameDecoder;
import dev.resolute.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a hostile deployment can send, as the frame decoder and the message parsers see it. The
 * contract: the decoder yields frames or throws {@link ProtocolException}; every frame's payload
 * parses into its message or throws {@link ProtocolException}; nothing else (no NPE, no index or
 * allocation error, no hang). Frames found are exactly the input's bytes (re-encoding them gives
 * the consumed prefix back) and do not depend on how the input was cut into chunks.
 *
 * <p>Input: one byte choosing the chunk size (1..256), then the byte stream. Seeds: the frames of
 * the SDK protocol cases ({@code protocol/testdata/protocol-cases.txt}) and golden vectors.
 */
class FrameDecoderFuzzTest {
  /** Small enough that a declared length above it is refused before anything is allocated. */
  static final int MAX_MESSAGE = 64 * 1024;

  @FuzzTest
  void decode(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The entry point of the standalone Jazzer driver ({@code scripts/fuzz}). */
  public static void fuzzerTestOneInput(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int chunk = (input[0] & 0xFF) + 1;
    byte[] stream = Arrays.copyOfRange(input, 1, input.length);

    List<Frame> chunked = new ArrayList<>();
    ProtocolException chunkedError = null;
    FrameDecoder d = new FrameDecoder(MAX_MESSAGE);
    try {
      for (int at = 0; at < stream.length; at += chunk) {
        d.feed(stream, at, Math.min(chunk, stream.length - at), chunked::add);
      }
    } catch (ProtocolException e) {
      chunkedError = e;
    }

    List<Frame> whole = new ArrayList<>();
    ProtocolException wholeError = null;
    try {
      new FrameDecoder(MAX_MESSAGE).feed(stream, 0, stream.length, whole::add);
    } catch (ProtocolException e) {
      wholeError = e;
    }
    if ((chunkedError == null) != (wholeError == null)) {
      throw new AssertionError(
          "chunking changed the outcome: " + chunkedError + " / " + wholeError);
    }
    if (chunked.size() != whole.size()) {
      throw new AssertionError(
          "chunking changed the frames: " + chunked.size() + " / " + whole.size());
    }
    int offset = 0;
    for (int i = 0; i < chunked.size(); i++) {
      Frame a = chunked.get(i);
      Frame b = whole.get(i);
      if (a.code() != b.code()
          || a.flags() != b.flags()
          || !Arrays.equals(a.payload(), b.payload())) {
        throw new AssertionError("frame " + i + " differs between chunked and whole decoding");
      }
      byte[] encoded = FrameCodec.encode(a);
      if (!Arrays.equals(stream, offset, offset + encoded.length, encoded, 0, encoded.length)) {
        throw new AssertionError("frame " + i + " does not re-encode to its input bytes");
      }
      offset += encoded.length;
      try {
        a.message();
      } catch (ProtocolException expected) {
        // unknown type or undecodable payload: the documented failure
      }
    }
  }
}
