package dev.resolute.sdk.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * A Logback turbo filter that drops user log lines while an invocation is replaying (MDC {@code
 * restateInvocationStatus = REPLAYING}), so each line appears once even though handler code re-runs
 * on every attempt. SDK loggers ({@code dev.resolute.*}) are not filtered. Add to {@code
 * logback.xml}: {@code <turboFilter class="dev.resolute.sdk.logging.ReplayAwareLogFilter"/>}.
 * Without Logback, filter on the same MDC key with your backend.
 */
public final class ReplayAwareLogFilter extends TurboFilter {
  public static final String MDC_STATUS = "restateInvocationStatus";
  public static final String REPLAYING = "REPLAYING";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (REPLAYING.equals(MDC.get(MDC_STATUS))
        && logger != null
        && !logger.getName().startsWith("dev.resolute.")) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
