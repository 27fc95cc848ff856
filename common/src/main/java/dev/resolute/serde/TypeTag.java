package dev.resolute.serde;

import java.lang.reflect.Type;

/**
 * Describes the type of a value to (de)serialize: a {@link Class}, a generic {@link TypeRef}, or a
 * {@link Serde} that already knows how to handle it.
 */
public interface TypeTag<T> {

  /** The Java type this tag stands for ({@code Object.class} when a serde does not say). */
  Type type();

  static <T> TypeTag<T> of(Class<T> type) {
    return new ClassTag<>(type);
  }

  static <T> TypeTag<T> of(TypeRef<T> typeRef) {
    return typeRef;
  }

  /** A serde is its own tag. */
  static <T> TypeTag<T> of(Serde<T> serde) {
    return serde;
  }

  /** A tag for a plain class. */
  record ClassTag<T>(Class<T> clazz) implements TypeTag<T> {
    @Override
    public Type type() {
      return clazz;
    }
  }
}
