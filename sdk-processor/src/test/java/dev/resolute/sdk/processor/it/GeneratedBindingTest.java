package dev.resolute.sdk.processor.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.internal.reflect.GeneratedServices;
import org.junit.jupiter.api.Test;

/** Endpoint.bind finds the factories generated for this module's test services. */
class GeneratedBindingTest {
  @Test
  void bindUsesTheGeneratedFactory() {
    assertThat(GeneratedServices.definitionOf(new Greeter())).isPresent();
    assertThat(GeneratedServices.definitionOf(new Counter())).isPresent();
    assertThat(GeneratedServices.definitionOf(new Signup())).isPresent();
    assertThat(GeneratedServices.definitionOf("not a service")).isEmpty();
    Endpoint e = Endpoint.bind(new Greeter()).bind(new Counter()).bind(new Signup()).build();
    ServiceDefinition g = e.getService("GenGreeter");
    assertThat(g).isNotNull();
    assertThat(g.getHandler("length").getAcceptContentType()).isEqualTo("*/*");
  }

  @Test
  void aSubclassOfAServiceStillUsesTheFactoryOfTheAnnotatedType() {
    Greeter sub =
        new Greeter() {
          @Override
          public String greet(dev.resolute.sdk.Context ctx, String name) {
            return "Hi " + name;
          }
        };
    assertThat(GeneratedServices.definitionOf(sub)).isPresent();
  }
}
