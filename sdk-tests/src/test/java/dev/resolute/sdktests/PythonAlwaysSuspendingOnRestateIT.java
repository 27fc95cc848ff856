package dev.resolute.sdktests;

import java.util.Map;

/**
 * {@link PythonScenarios} on Restate with a zero inactivity timeout: the invocation is suspended as
 * soon as the handler waits for a completion, so every step after the first is a replay.
 */
class PythonAlwaysSuspendingOnRestateIT extends PythonScenarios {
  @Override
  Server.Kind kind() {
    return Server.Kind.RESTATE;
  }

  @Override
  Map<String, String> serverEnv() {
    return Server.ALWAYS_SUSPENDING;
  }
}
