package dev.resolute.sdk.annotation;

import dev.resolute.sdk.endpoint.definition.ScheduleDefinition;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A cron schedule of a handler (Resolute's extension, a metadata entry of the manifest that
 * restate-server keeps as plain metadata): the Resolute server invokes the handler on every firing,
 * from the deployment's registration until the declaration goes away. Repeatable. See {@link
 * ScheduleDefinition} for the builder form.
 *
 * <pre>{@code
 * @Handler
 * @Schedule(cron = "0 0 9 * * MON-FRI", timeZone = "Europe/Paris", body = "\"daily\"")
 * public void report(Context ctx, String kind) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Schedule.List.class)
public @interface Schedule {
  /** 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first. */
  String cron();

  /** A zone id such as {@code Europe/Paris}; empty is UTC. */
  String timeZone() default "";

  /** The input as JSON text; empty: no input. */
  String body() default "";

  /** The virtual-object key or workflow id (keyed services only). */
  String key() default "";

  /** Which firings missed while the server was down still run. */
  ScheduleDefinition.CatchUp catchUp() default ScheduleDefinition.CatchUp.NONE;

  /** Distinguishes several schedules of one handler; empty: the position among them. */
  String name() default "";

  /** The container of repeated {@link Schedule}s. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface List {
    Schedule[] value();
  }
}
