package dev.resolute.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a server started for the class: by default an embedded Resolute server
 * inside the test JVM. The {@link BindService} fields are served by an SDK endpoint on a free port
 * and registered as one deployment; {@link ResoluteClient}, {@link ResoluteIngressEndpointURL} and
 * {@link ResoluteAdminEndpointURL} parameters are injected. Everything stops after the class.
 *
 * <pre>{@code
 * @ResoluteTest
 * class GreeterTest {
 *   @BindService Greeter greeter = new Greeter();
 *
 *   @Test
 *   void greets(@ResoluteClient Client client) {
 *     assertThat(client.call(Request.of(Target.service("Greeter", "greet"), TypeTag.of(String.class),
 *         TypeTag.of(String.class), "Ann")).response()).isEqualTo("Hello Ann");
 *   }
 * }
 * }</pre>
 *
 * <p>The test instance is per class, so bound services are created once and shared by all tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ResoluteExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public @interface ResoluteTest {

  /**
   * Which server runs the test: the embedded Resolute server (default) or the real restate-server.
   */
  ServerKind server() default ServerKind.EMBEDDED;

  /** Register the deployment with {@code use_http_11} (request/response mode) instead of HTTP/2. */
  boolean useHttp11() default false;

  /**
   * Partitions of the embedded server (fewer start faster). Ignored for the real restate-server.
   */
  int partitions() default 4;
}
