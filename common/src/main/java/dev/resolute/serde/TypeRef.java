package dev.resolute.serde;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Captures a generic type: {@code new TypeRef<Map<String, List<Integer>>>() {}}. Like Jackson's
 * {@code TypeReference}.
 */
public abstract class TypeRef<T> implements TypeTag<T> {
  private final Type type;

  protected TypeRef() {
    Type superclass = getClass().getGenericSuperclass();
    if (!(superclass instanceof ParameterizedType p)) {
      throw new IllegalArgumentException(
          "TypeRef must be created with a type argument: new TypeRef<X>() {}");
    }
    this.type = p.getActualTypeArguments()[0];
  }

  /** For factories that hold a resolved type (see {@link SerdeFactory#create(Type)}). */
  TypeRef(Type type) {
    this.type = type;
  }

  /** The captured type (Restate's name for {@link #type()}). */
  public Type getType() {
    return type;
  }

  @Override
  public Type type() {
    return type;
  }

  @Override
  public String toString() {
    return "TypeRef[" + type.getTypeName() + "]";
  }
}
