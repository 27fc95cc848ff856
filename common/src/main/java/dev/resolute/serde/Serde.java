package dev.resolute.serde;

import dev.resolute.common.Slice;
import dev.resolute.common.function.ThrowingFunction;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Serializer and deserializer of one type. Must be deterministic: the same value always yields the
 * same bytes (replay compares them). A serde is also a {@link TypeTag} of its type.
 */
public interface Serde<T> extends TypeTag<T> {

  Slice serialize(T value);

  T deserialize(Slice value);

  /** The content type of the serialized form, or {@code null} when there is no body (void). */
  default String contentType() {
    return "application/octet-stream";
  }

  /** A JSON schema of the serialized form for the discovery manifest, or {@code null}. */
  default Object jsonSchema() {
    return null;
  }

  @Override
  default Type type() {
    return Object.class;
  }

  /** No body: serializes anything to empty bytes and deserializes to {@code null}. */
  Serde<Void> VOID =
      new Serde<>() {
        @Override
        public Slice serialize(Void value) {
          return Slice.EMPTY;
        }

        @Override
        public Void deserialize(Slice value) {
          return null;
        }

        @Override
        public String contentType() {
          return null;
        }

        @Override
        public Type type() {
          return Void.class;
        }
      };

  /** Raw bytes, passed through unchanged. */
  Serde<byte[]> RAW =
      new Serde<>() {
        @Override
        public Slice serialize(byte[] value) {
          return value == null ? Slice.EMPTY : Slice.wrap(value.clone());
        }

        @Override
        public byte[] deserialize(Slice value) {
          return value.toByteArray();
        }

        @Override
        public Type type() {
          return byte[].class;
        }
      };

  /** Bytes as a {@link Slice}. */
  Serde<Slice> SLICE =
      new Serde<>() {
        @Override
        public Slice serialize(Slice value) {
          return value == null ? Slice.EMPTY : value;
        }

        @Override
        public Slice deserialize(Slice value) {
          return value;
        }

        @Override
        public Type type() {
          return Slice.class;
        }
      };

  /** UTF-8 text, {@code text/plain}. */
  Serde<String> TEXT =
      using(
          "text/plain",
          s -> s.getBytes(StandardCharsets.UTF_8),
          b -> new String(b, StandardCharsets.UTF_8));

  /** A serde from two functions over byte arrays, content type {@code application/octet-stream}. */
  static <T> Serde<T> using(
      ThrowingFunction<T, byte[]> serializer, ThrowingFunction<byte[], T> deserializer) {
    return using("application/octet-stream", serializer, deserializer);
  }

  /**
   * A serde from two functions over byte arrays. Exceptions the functions throw are rethrown as
   * they are (unchecked).
   */
  static <T> Serde<T> using(
      String contentType,
      ThrowingFunction<T, byte[]> serializer,
      ThrowingFunction<byte[], T> deserializer) {
    Objects.requireNonNull(serializer);
    Objects.requireNonNull(deserializer);
    return new Serde<>() {
      @Override
      public Slice serialize(T value) {
        return Slice.wrap(serializer.asFunction().apply(value));
      }

      @Override
      public T deserialize(Slice value) {
        return deserializer.asFunction().apply(value.toByteArray());
      }

      @Override
      public String contentType() {
        return contentType;
      }
    };
  }

  /** The same serde advertising another content type. */
  static <T> Serde<T> withContentType(String contentType, Serde<T> inner) {
    Objects.requireNonNull(inner);
    return new Serde<>() {
      @Override
      public Slice serialize(T value) {
        return inner.serialize(value);
      }

      @Override
      public T deserialize(Slice value) {
        return inner.deserialize(value);
      }

      @Override
      public String contentType() {
        return contentType;
      }

      @Override
      public Object jsonSchema() {
        return inner.jsonSchema();
      }

      @Override
      public Type type() {
        return inner.type();
      }
    };
  }
}
