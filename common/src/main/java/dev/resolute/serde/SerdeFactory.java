package dev.resolute.serde;

import java.lang.reflect.Type;

/** Creates serdes for types; one factory per service (see {@code @CustomSerdeFactory}). */
public interface SerdeFactory {

  /** A serde for a Java type (class or parameterized type). */
  <T> Serde<T> create(Type type);

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
    return create(t);
  }
}
