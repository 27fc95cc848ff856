package dev.resolute.sdk.common;

import dev.resolute.serde.Serde;
import dev.resolute.serde.TypeTag;
import java.util.Objects;

/** The name and type of a workflow durable promise. */
public final class DurablePromiseKey<T> {
  private final String name;
  private final TypeTag<T> typeTag;

  private DurablePromiseKey(String name, TypeTag<T> typeTag) {
    this.name = Objects.requireNonNull(name, "name");
    this.typeTag = Objects.requireNonNull(typeTag, "typeTag");
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

  public String name() {
    return name;
  }

  public TypeTag<T> serdeInfo() {
    return typeTag;
  }

  @Override
  public String toString() {
    return "DurablePromiseKey[" + name + "]";
  }
}
