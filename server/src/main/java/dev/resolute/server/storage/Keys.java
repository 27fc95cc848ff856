package dev.resolute.server.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layout. Every key starts with the partition (u16) and a table tag, so one RocksDB holds all
 * partitions. Strings are length-prefixed (u32) so that no key is a prefix of another by accident.
 */
public final class Keys {
  public static final byte META = 'M';
  public static final byte STATUS = 'S';
  public static final byte JOURNAL = 'J';
  public static final byte STATE = 'K';

  /**
   * One empty entry per object that has state ({@code str(service) str(key)}, as {@link #STATE}'s
   * keys start): see the partition's {@code Tables}.
   */
  public static final byte STATE_INDEX = 'k';

  public static final byte LOCK = 'L';
  public static final byte INBOX = 'I';

  /** Per-key inbox bounds {head, tail}; see the partition's {@code Tables}. */
  public static final byte INBOX_BOUNDS = 'B';

  public static final byte TIMER = 'T';
  public static final byte OUTBOX = 'O';
  public static final byte DEDUP = 'D';
  public static final byte PROMISE = 'P';

  /**
   * Highest sequence number applied per external producer (a Kafka subscription's topic partition).
   */
  public static final byte PRODUCER_DEDUP = 'X';

  /**
   * Cron schedules by id ({@code str(id)}), on the partition of {@code PartitionKeys.keyed(id)}.
   */
  public static final byte SCHEDULE = 'C';

  /** Index of the invocations whose status is INVOKED (running), kept beside the status table. */
  public static final byte RUNNING = 'R';

  /** Bytes before a key's table-specific part: the partition (u16) and the table tag. */
  public static final int HEADER = 3;

  /** The key so far: {@code buf[0..len)}; grown by doubling (keys are mostly under 64 bytes). */
  private byte[] buf = new byte[64];

  private int len;

  private Keys(int partition, byte table) {
    buf[0] = (byte) (partition >>> 8);
    buf[1] = (byte) partition;
    buf[2] = table;
    len = HEADER;
  }

  public static Keys of(int partition, byte table) {
    return new Keys(partition, table);
  }

  private void room(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  public Keys bytes(byte[] b) {
    room(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  public Keys str(String s) {
    int n = s.length();
    boolean ascii = true;
    for (int i = 0; i < n && ascii; i++) {
      ascii = s.charAt(i) < 0x80;
    }
    if (!ascii) {
      return lenBytes(s.getBytes(StandardCharsets.UTF_8));
    }
    // ASCII (nearly every service name and key): its UTF-8 bytes are its chars
    u32(n);
    room(n);
    for (int i = 0; i < n; i++) {
      buf[len + i] = (byte) s.charAt(i);
    }
    len += n;
    return this;
  }

  public Keys lenBytes(byte[] b) {
    u32(b.length);
    return bytes(b);
  }

  public Keys u32(int v) {
    room(4);
    buf[len] = (byte) (v >>> 24);
    buf[len + 1] = (byte) (v >>> 16);
    buf[len + 2] = (byte) (v >>> 8);
    buf[len + 3] = (byte) v;
    len += 4;
    return this;
  }

  public Keys u64(long v) {
    room(8);
    for (int i = 0; i < 8; i++) {
      buf[len + i] = (byte) (v >>> (56 - 8 * i));
    }
    len += 8;
    return this;
  }

  public byte[] build() {
    return Arrays.copyOf(buf, len);
  }

  /**
   * Where the object part ({@code str(service) str(key)}) of a {@link #STATE} key ends: the length
   * of its object's prefix.
   */
  public static int objectEnd(byte[] stateKey) {
    int service = HEADER + 4 + (int) u32At(stateKey, HEADER);
    return service + 4 + (int) u32At(stateKey, service);
  }

  private static long u32At(byte[] key, int offset) {
    return ((key[offset] & 0xFFL) << 24)
        | ((key[offset + 1] & 0xFFL) << 16)
        | ((key[offset + 2] & 0xFFL) << 8)
        | (key[offset + 3] & 0xFFL);
  }

  public static boolean startsWith(byte[] k, byte[] prefix) {
    if (k.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (k[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The smallest key greater than every key that starts with {@code prefix} (an exclusive upper
   * bound for a prefix scan), or null if there is none (empty or all 0xFF).
   */
  public static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- decoding

  /** The u64 at {@code offset} of {@code key}. */
  public static long u64At(byte[] key, int offset) {
    return ByteBuffer.wrap(key, offset, 8).getLong();
  }

  /** The time of a {@link #TIMER} key ({@code TIMER ‖ u64 time ‖ u64 seq}). */
  public static long timerTime(byte[] key) {
    return u64At(key, HEADER);
  }

  /** The sequence number of an {@link #OUTBOX} key ({@code OUTBOX ‖ u64 seq}). */
  public static long outboxSeq(byte[] key) {
    return u64At(key, HEADER);
  }

  /**
   * The {@code length} bytes of {@code key} that follow {@code prefix} (e.g. an id after its
   * table's prefix).
   */
  public static byte[] after(byte[] key, byte[] prefix, int length) {
    return Arrays.copyOfRange(key, prefix.length, prefix.length + length);
  }

  /** Every byte of {@code key} after {@code prefix}. */
  public static byte[] after(byte[] key, byte[] prefix) {
    return Arrays.copyOfRange(key, prefix.length, key.length);
  }

  /** The length-prefixed ({@link #lenBytes}) bytes of {@code key} right after {@code prefix}. */
  public static byte[] lenBytesAfter(byte[] key, byte[] prefix) {
    int len = ByteBuffer.wrap(key, prefix.length, 4).getInt();
    return Arrays.copyOfRange(key, prefix.length + 4, prefix.length + 4 + len);
  }
}
