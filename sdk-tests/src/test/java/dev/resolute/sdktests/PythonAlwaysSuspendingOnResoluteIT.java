package dev.resolute.sdktests;

import java.util.Map;

/**
 * {@link PythonScenarios} on Resolute with a zero inactivity timeout: the invocation is suspended
 * as soon as the handler waits for a completion, so every step after the first is a replay.
 */
class PythonAlwaysSuspendingOnResoluteIT extends PythonScenarios {
  @Override
  Server.Kind kind() {
    return Server.Kind.RESOLUTE;
  }

  @Override
  Map<String, String> serverEnv() {
    return Server.ALWAYS_SUSPENDING;
  }
}
