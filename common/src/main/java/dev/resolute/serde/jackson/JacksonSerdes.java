package dev.resolute.serde.jackson;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.serde.Serde;

/** Jackson JSON serdes for single types, with the default or a given {@link ObjectMapper}. */
public final class JacksonSerdes {
  private JacksonSerdes() {}

  public static <T> Serde<T> of(Class<T> clazz) {
    return JacksonSerdeFactory.DEFAULT.create(clazz);
  }

  public static <T> Serde<T> of(ObjectMapper mapper, Class<T> clazz) {
    return new JacksonSerdeFactory(mapper).create(clazz);
  }

  public static <T> Serde<T> of(TypeReference<T> typeReference) {
    return JacksonSerdeFactory.DEFAULT.create(typeReference.getType());
  }

  public static <T> Serde<T> of(ObjectMapper mapper, TypeReference<T> typeReference) {
    return new JacksonSerdeFactory(mapper).create(typeReference.getType());
  }
}
