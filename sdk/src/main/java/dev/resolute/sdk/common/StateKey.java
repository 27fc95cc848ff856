package dev.resolute.sdk.common;

import dev.resolute.serde.Serde;
import dev.resolute.serde.TypeTag;

/** The name and type of one state entry of a virtual object or workflow. */
public final class StateKey<T> extends TypedKey<T> {

  private StateKey(String name, TypeTag<T> typeTag) {
    super(name, typeTag);
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
}
