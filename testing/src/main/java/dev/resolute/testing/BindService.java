package dev.resolute.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link ResoluteTest} class whose value is served by the test's endpoint: an
 * instance of a class annotated with {@code @Service}/{@code @VirtualObject}/{@code @Workflow}, or
 * a {@code ServiceDefinition}. Fields of superclasses count too.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BindService {}
