package dev.resolute.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects an ingress client pointed at the test's server: a {@link dev.resolute.client.Client}, or
 * the raw {@link IngressClient} when the parameter has that type (status codes and bodies as sent).
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ResoluteClient {}
