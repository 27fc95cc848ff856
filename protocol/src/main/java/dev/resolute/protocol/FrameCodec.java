package dev.resolute.protocol;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The 8-byte frame header and whole-frame encoding. The header is one big-endian u64: type (16
 * bits) | flags (16 bits) | payload length (32 bits).
 */
public final class FrameCodec {
  public static final int HEADER_SIZE = 8;

  private FrameCodec() {}

  public static long header(int code, int flags, int length) {
    return ((long) (code & 0xFFFF) << 48)
        | ((long) (flags & 0xFFFF) << 32)
        | (length & 0xFFFFFFFFL);
  }

  public static byte[] encode(MessageLite message) {
    return encode(MessageType.of(message), 0, message);
  }

  public static byte[] encode(MessageType type, MessageLite message) {
    return encode(type, 0, message);
  }

  public static byte[] encode(MessageType type, int flags, MessageLite message) {
    int size = message.getSerializedSize();
    byte[] out = new byte[HEADER_SIZE + size];
    writeHeader(out, 0, header(type.code(), flags, size));
    CodedOutputStream cos = CodedOutputStream.newInstance(out, HEADER_SIZE, size);
    try {
      message.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static byte[] encode(Frame frame) {
    byte[] out = new byte[HEADER_SIZE + frame.payload().length];
    writeHeader(out, 0, header(frame.code(), frame.flags(), frame.payload().length));
    System.arraycopy(frame.payload(), 0, out, HEADER_SIZE, frame.payload().length);
    return out;
  }

  public static void writeHeader(byte[] out, int offset, long header) {
    for (int i = 0; i < 8; i++) {
      out[offset + i] = (byte) (header >>> (56 - 8 * i));
    }
  }

  public static long readHeader(byte[] in, int offset) {
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (in[offset + i] & 0xFF);
    }
    return h;
  }

  /** Decodes a complete body (all frames, nothing left over). */
  public static List<Frame> decodeAll(byte[] body) throws ProtocolException {
    FrameDecoder d = new FrameDecoder(Integer.MAX_VALUE);
    List<Frame> frames = new ArrayList<>();
    d.feed(body, 0, body.length, frames::add);
    if (d.hasPartialFrame()) {
      throw new ProtocolException("body ends inside a frame");
    }
    return frames;
  }
}
