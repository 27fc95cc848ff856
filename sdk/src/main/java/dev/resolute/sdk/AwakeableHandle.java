package dev.resolute.sdk;

import dev.resolute.serde.TypeTag;

/** Completes an awakeable by id. */
public interface AwakeableHandle {

  <T> void resolve(TypeTag<T> typeTag, T payload);

  default <T> void resolve(Class<T> clazz, T payload) {
    resolve(TypeTag.of(clazz), payload);
  }

  /** Completes it with a terminal failure (code 500). */
  void reject(String reason);
}
