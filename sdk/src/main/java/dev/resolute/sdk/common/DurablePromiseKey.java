package dev.resolute.sdk.common;

import dev.resolute.serde.Serde;
import dev.resolute.serde.TypeTag;

/** The name and type of a workflow durable promise. */
public final class DurablePromiseKey<T> extends TypedKey<T> {

  private DurablePromiseKey(String name, TypeTag<T> typeTag) {
    super(name, typeTag);
  }

  public static <T> DurablePromiseKey<T> of(String name, Class<T> type) {
    return new DurablePromiseKey<>(name, TypeTag.of(type));
  }

  public static <T> DurablePromiseKey<T> of(String name, TypeTag<T> typeTag) {
    return new DurablePromiseKey<>(name, typeTag);
  }

  /** A key whose value is raw bytes (no serialization). */
  public static DurablePromiseKey<byte[]> bytes(String name) {
    return new DurablePromiseKey<>(name, Serde.RAW);
  }
}
