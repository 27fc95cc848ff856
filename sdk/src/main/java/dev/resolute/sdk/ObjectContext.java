package dev.resolute.sdk;

import dev.resolute.sdk.common.StateKey;

/** Context of an exclusive handler of a virtual object: reads and writes the object's state. */
public interface ObjectContext extends SharedObjectContext {

  <T> void set(StateKey<T> key, T value);

  void clear(StateKey<?> key);

  void clearAll();
}
