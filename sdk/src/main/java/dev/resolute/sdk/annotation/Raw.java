package dev.resolute.sdk.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The parameter (or return value, on a method) is raw bytes ({@code byte[]}), not JSON. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.METHOD})
public @interface Raw {
  /** Content type of the raw payload. */
  String contentType() default "application/octet-stream";
}
