package dev.resolute.sdk;

import dev.resolute.sdk.common.StateKey;
import java.util.Collection;
import java.util.Optional;

/** Context of a shared handler of a virtual object: can read the object's state, not write it. */
public interface SharedObjectContext extends Context {

  /** The key of this virtual object (or the workflow id). */
  String key();

  <T> Optional<T> get(StateKey<T> key);

  Collection<String> stateKeys();
}
