package dev.resolute.serde;

import java.lang.reflect.Type;

/**
 * Creates serdes for types; one factory per service (see {@code @CustomSerdeFactory}). Implement
 * either {@link #create(Type)}, or both {@link #create(Class)} and {@link #create(TypeRef)} (the
 * two methods Restate's interface has); each default delegates to the other form.
 */
public interface SerdeFactory {

  /**
   * A factory that creates nothing: every {@code create} throws {@link
   * UnsupportedOperationException}.
   */
  SerdeFactory NOOP =
      new SerdeFactory() {
        @Override
        public <T> Serde<T> create(Type type) {
          throw new UnsupportedOperationException(
              "no serde factory configured (NOOP) for " + type.getTypeName());
        }
      };

  /** A serde for a Java type (class or parameterized type). */
  @SuppressWarnings("unchecked")
  default <T> Serde<T> create(Type type) {
    if (type instanceof Class<?> c) {
      return (Serde<T>) create(c);
    }
    return create(new TypeRef<T>(type) {});
  }

  default <T> Serde<T> create(Class<T> clazz) {
    return create((Type) clazz);
  }

  default <T> Serde<T> create(TypeRef<T> typeRef) {
    return create(typeRef.type());
  }

  /** Resolves a tag: a serde is returned as it is, classes and type refs go through the factory. */
  @SuppressWarnings("unchecked")
  default <T> Serde<T> create(TypeTag<T> tag) {
    if (tag instanceof Serde<T> serde) {
      return serde;
    }
    Type t = tag.type();
    if (t == Void.class || t == void.class) {
      return (Serde<T>) Serde.VOID;
    }
    if (tag instanceof TypeRef<T> ref) {
      return create(ref);
    }
    return create(t);
  }
}
