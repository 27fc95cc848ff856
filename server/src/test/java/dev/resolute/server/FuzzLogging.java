package dev.resolute.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Silences logging in a fuzz target: the code under test logs every refused input (a failed
 * attempt, an unexpected ingress error), and at fuzzing speed printing would be all the run does.
 * The targets assert instead of reading logs.
 */
public final class FuzzLogging {
  private FuzzLogging() {}

  public static void off() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    for (ch.qos.logback.classic.Logger l : context.getLoggerList()) {
      l.setLevel(null);
    }
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.OFF);
  }
}
