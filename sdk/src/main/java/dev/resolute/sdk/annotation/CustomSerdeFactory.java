package dev.resolute.sdk.annotation;

import dev.resolute.serde.SerdeFactory;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The serde factory for all handlers of the annotated service (needs a public no-arg constructor).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CustomSerdeFactory {
  Class<? extends SerdeFactory> value();
}
