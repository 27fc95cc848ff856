package dev.resolute.sdk.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A token-bucket rate for a service (on its type) or one handler (on its method), Resolute's
 * extension advertised as a metadata entry of the manifest (restate-server keeps it as plain
 * metadata): the Resolute server turns it into a limit rule when the deployment registers, so
 * invocations beyond the rate wait in the durable limit queue instead of failing. The builder form
 * is {@code rateLimit(perSecond, burst)} on the service or handler configurator.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RateLimit {
  /** Invocations started per second (> 0). */
  double perSecond();

  /** The bucket's capacity (>= 1); 0: the server default, max(1, ceil(perSecond)). */
  int burst() default 0;
}
