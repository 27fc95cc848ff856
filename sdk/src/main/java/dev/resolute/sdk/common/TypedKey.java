package dev.resolute.sdk.common;

import dev.resolute.serde.TypeTag;
import java.util.Objects;

/**
 * A name and the type of the value stored under it: the base of {@link StateKey} and {@link
 * DurablePromiseKey}.
 */
public abstract class TypedKey<T> {
  private final String name;
  private final TypeTag<T> typeTag;

  TypedKey(String name, TypeTag<T> typeTag) {
    this.name = Objects.requireNonNull(name, "name");
    this.typeTag = Objects.requireNonNull(typeTag, "typeTag");
  }

  public String name() {
    return name;
  }

  public TypeTag<T> serdeInfo() {
    return typeTag;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "]";
  }
}
