package dev.resolute.common;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** An immutable view of bytes, used as the serialized form of every payload. */
public final class Slice {
  public static final Slice EMPTY = new Slice(new byte[0]);

  private final byte[] bytes;

  private Slice(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps the array without copying; the caller must not modify it afterwards. */
  public static Slice wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Slice(bytes);
  }

  public static Slice wrap(String utf8) {
    return wrap(utf8.getBytes(StandardCharsets.UTF_8));
  }

  public static Slice wrap(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.duplicate().get(b);
    return wrap(b);
  }

  public int readableBytes() {
    return bytes.length;
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Copies all bytes into {@code target} at its position (which advances). */
  public void copyTo(ByteBuffer target) {
    target.put(bytes);
  }

  /** Copies all bytes to the start of {@code target}. */
  public void copyTo(byte[] target) {
    copyTo(target, 0);
  }

  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, bytes.length);
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  public ByteBuffer asReadOnlyByteBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  public String toUtf8String() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The backing array, not copied: for internal fast paths that promise not to modify it. */
  public byte[] unsafeArray() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Slice s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Slice[" + bytes.length + " bytes]";
  }
}
