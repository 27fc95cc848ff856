package dev.resolute.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.resolute.server.config.LogFilter;
import dev.resolute.server.config.LoggingConfig;

/**
 * The server's logging set-up, in code: concise lines on stderr, {@code RESOLUTE_LOG_LEVEL}
 * (default INFO) for the {@code dev.resolute} loggers, WARN for the rest, until the configuration
 * is loaded; then {@link #apply} sets the levels from {@code log-filter} and the line format from
 * {@code log-format} (text, or one JSON object per line: {@link JsonLayout}). Configuring logback
 * from an XML file parsed it with the JDK's XML stack on every start (~400 classes, 0.1-0.4 s of
 * start-up).
 *
 * <p>Registered as a logback {@link Configurator} service. It steps aside (and logback's own
 * file-based configuration runs) when the application brings its own configuration: the {@code
 * logback.configurationFile} property, or a {@code logback-test.xml} / {@code logback.xml} on the
 * class path (this jar ships neither), as when the server is embedded in tests.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %-24.24logger{0} %msg%n";

  /** The context this configurator set up, or null when another configuration is in charge. */
  private static volatile LoggerContext configured;

  /** Loggers whose level {@link #apply} set, reset by the next call. */
  private static final java.util.Set<String> levelled =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader cl = ConsoleLogging.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null
        || cl.getResource("logback-test.xml") != null
        || cl.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    String level = System.getenv("RESOLUTE_LOG_LEVEL");
    context.getLogger("dev.resolute").setLevel(Level.toLevel(level, Level.INFO));
    context.getLogger("io.netty").setLevel(Level.WARN);
    levelled.add("dev.resolute");
    levelled.add("io.netty");
    configured = context;
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Applies {@code log-filter} and {@code log-format} when this class set up logging (an embedding
   * application's own logback configuration is left alone).
   *
   * @return whether the settings were applied
   */
  public static boolean apply(LoggingConfig config) {
    LoggerContext context = configured;
    if (context == null) {
      return false;
    }
    LogFilter filter = LogFilter.parse(config.filter());
    for (String name : levelled) {
      context.getLogger(name).setLevel(null);
    }
    levelled.clear();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(filter.rootLevel(), Level.WARN));
    filter
        .targets()
        .forEach(
            (name, level) -> {
              context.getLogger(name).setLevel(Level.toLevel(level, Level.INFO));
              levelled.add(name);
            });
    Encoder<ILoggingEvent> encoder;
    if (config.format() == LoggingConfig.Format.JSON) {
      JsonLayout layout = new JsonLayout();
      layout.setContext(context);
      layout.start();
      LayoutWrappingEncoder<ILoggingEvent> json = new LayoutWrappingEncoder<>();
      json.setContext(context);
      json.setLayout(layout);
      json.start();
      encoder = json;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setContext(context);
      text.setPattern(PATTERN);
      text.start();
      encoder = text;
    }
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Appender<ILoggingEvent> old = root.getAppender("STDERR");
    root.addAppender(stderr);
    if (old != null && old != stderr) {
      root.detachAppender(old);
      old.stop();
    }
    return true;
  }
}
