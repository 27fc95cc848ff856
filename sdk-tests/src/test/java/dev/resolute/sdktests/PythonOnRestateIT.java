package dev.resolute.sdktests;

import java.util.Map;

/**
 * {@link PythonScenarios} on Restate with its default inactivity timeout (an invocation stays open
 * while it waits).
 */
class PythonOnRestateIT extends PythonScenarios {
  @Override
  Server.Kind kind() {
    return Server.Kind.RESTATE;
  }

  @Override
  Map<String, String> serverEnv() {
    return Map.of();
  }
}
