package dev.resolute.sdk.common;

import dev.resolute.serde.Serde;
import dev.resolute.serde.TypeTag;
import java.util.Objects;

/** The name and type of one state entry of a virtual object or workflow. */
public final class StateKey<T> {
  private final String name;
  private final TypeTag<T> typeTag;

  private StateKey(String name, TypeTag<T> typeTag) {
    this.name = Objects.requireNonNull(name, "name");
    this.typeTag = Objects.requireNonNull(typeTag, "typeTag");
  }

  public static <T> StateKey<T> of(String name, Class<T> type) {
    return new StateKey<>(name, TypeTag.of(type));
  }

  public static <T> StateKey<T> of(String name, TypeTag<T> typeTag) {
    return new StateKey<>(name, typeTag);
  }

  /** A key whose value is raw bytes (no serialization). */
  public static StateKey<byte[]> bytes(String name) {
    return new StateKey<>(name, Serde.RAW);
  }

  public String name() {
    return name;
  }

  public TypeTag<T> serdeInfo() {
    return typeTag;
  }

  @Override
  public String toString() {
    return "StateKey[" + name + "]";
  }
}
