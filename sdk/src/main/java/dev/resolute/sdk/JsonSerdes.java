package dev.resolute.sdk;

import dev.resolute.serde.Serde;
import dev.resolute.serde.jackson.JacksonSerdeFactory;

/**
 * JSON serdes of common primitive types (Jackson), e.g. {@code StateKey.of("count",
 * JsonSerdes.INT)}.
 */
public final class JsonSerdes {
  private JsonSerdes() {}

  public static final Serde<String> STRING = JacksonSerdeFactory.DEFAULT.create(String.class);
  public static final Serde<Boolean> BOOLEAN = JacksonSerdeFactory.DEFAULT.create(Boolean.class);
  public static final Serde<Byte> BYTE = JacksonSerdeFactory.DEFAULT.create(Byte.class);
  public static final Serde<Short> SHORT = JacksonSerdeFactory.DEFAULT.create(Short.class);
  public static final Serde<Integer> INT = JacksonSerdeFactory.DEFAULT.create(Integer.class);
  public static final Serde<Long> LONG = JacksonSerdeFactory.DEFAULT.create(Long.class);
  public static final Serde<Float> FLOAT = JacksonSerdeFactory.DEFAULT.create(Float.class);
  public static final Serde<Double> DOUBLE = JacksonSerdeFactory.DEFAULT.create(Double.class);
}
