package dev.resolute.sdktests;

import java.util.Map;

/**
 * {@link PythonScenarios} on Resolute with its default inactivity timeout (an invocation stays open
 * while it waits).
 */
class PythonOnResoluteIT extends PythonScenarios {
  @Override
  Server.Kind kind() {
    return Server.Kind.RESOLUTE;
  }

  @Override
  Map<String, String> serverEnv() {
    return Map.of();
  }
}
