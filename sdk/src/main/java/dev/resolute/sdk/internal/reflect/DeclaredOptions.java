package dev.resolute.sdk.internal.reflect;

import dev.resolute.sdk.annotation.Name;
import dev.resolute.sdk.annotation.RateLimit;
import dev.resolute.sdk.annotation.Schedule;
import dev.resolute.sdk.endpoint.definition.HandlerDefinition;
import dev.resolute.sdk.endpoint.definition.ScheduleDefinition;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import java.lang.reflect.Method;

/**
 * Copies the annotations of Resolute's extensions ({@link Schedule}, {@link RateLimit}) of a
 * service's annotated type onto its definition, whether the definition was generated or built by
 * reflection, so both bindings advertise the same manifest.
 */
public final class DeclaredOptions {
  private DeclaredOptions() {}

  public static void apply(ServiceDefinition def, Object instance) {
    Class<?> annotated = ReflectiveServices.findAnnotated(instance.getClass());
    if (annotated == null) {
      return;
    }
    RateLimit rate = annotated.getAnnotation(RateLimit.class);
    if (rate != null) {
      def.options().rateLimit(rate.perSecond(), rate.burst() == 0 ? null : rate.burst());
    }
    for (Method m : annotated.getMethods()) {
      Schedule[] schedules = m.getAnnotationsByType(Schedule.class);
      RateLimit handlerRate = m.getAnnotation(RateLimit.class);
      if (schedules.length == 0 && handlerRate == null) {
        continue;
      }
      Name nameAnn = m.getAnnotation(Name.class);
      String name = nameAnn != null ? nameAnn.value() : m.getName();
      HandlerDefinition<?, ?> h = def.getHandler(name);
      if (h == null) {
        throw new IllegalArgumentException(
            "@Schedule/@RateLimit on " + m + ", which is not a handler of " + def.getServiceName());
      }
      if (handlerRate != null) {
        h.options()
            .rateLimit(
                handlerRate.perSecond(), handlerRate.burst() == 0 ? null : handlerRate.burst());
      }
      for (Schedule s : schedules) {
        h.options()
            .schedule(
                new ScheduleDefinition(
                    blankToNull(s.name()),
                    s.cron(),
                    blankToNull(s.timeZone()),
                    blankToNull(s.body()),
                    blankToNull(s.key()),
                    s.catchUp()));
      }
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
