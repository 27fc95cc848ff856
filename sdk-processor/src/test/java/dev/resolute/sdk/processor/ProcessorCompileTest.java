package dev.resolute.sdk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.sdk.endpoint.definition.HandlerDefinition;
import dev.resolute.sdk.endpoint.definition.HandlerType;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.endpoint.definition.ServiceDefinitionFactory;
import dev.resolute.sdk.endpoint.definition.ServiceType;
import dev.resolute.sdk.internal.reflect.ReflectiveServices;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The processor on small sources: what it generates compiles, and matches reflective binding. */
class ProcessorCompileTest {
  static final String IMPORTS =
      """
      package demo;
      import dev.resolute.sdk.*;
      import dev.resolute.sdk.annotation.*;
      import java.util.*;
      """;

  static final String GREETER =
      IMPORTS
          + """
      @Service
      public class Greeter {
        @Handler public String greet(Context ctx, String name) { return "hi " + name; }
        @Handler public void noIo(Context ctx) {}
        @Handler @Name("renamed") public int other(Context ctx, int x) { return x + 1; }
        @Handler public String raw(Context ctx, @Accept("*/*") @Raw byte[] in) { return new String(in); }
        @Handler @Raw(contentType = "text/csv") public byte[] rawOut(Context ctx) { return "a,b".getBytes(); }
        @Handler public List<Map<String, Integer>> generic(Context ctx, Set<String> in) { return List.of(); }
        @Handler public Void boxedVoid(Context ctx, Long l) { return null; }
        public String notAHandler(Context ctx) { return ""; }
      }
      """;

  static final String COUNTER =
      IMPORTS
          + """
      @VirtualObject @Name("Counter2")
      public class Counter {
        @Handler public long add(ObjectContext ctx, long v) { return v; }
        @Shared public long get(SharedObjectContext ctx) { return 0; }
        @Exclusive public void reset(ObjectContext ctx) {}
        @Shared public String anyContext(Context ctx) { return ctx.toString(); }
      }
      """;

  static final String SIGNUP =
      IMPORTS
          + """
      @Workflow
      public class Signup {
        @Workflow public String run(WorkflowContext ctx, String email) { return email; }
        @Shared public void click(SharedWorkflowContext ctx, String s) { }
        @Shared public String status(SharedWorkflowContext ctx) { return ""; }
      }
      """;

  static final String IFACE =
      IMPORTS
          + """
      @Service
      public interface Hello {
        @Handler String hello(Context ctx, String in);
      }
      """;

  static final String NESTED =
      IMPORTS
          + """
      public class Outer {
        @Service public static class Inner {
          @Handler public String ping(Context ctx) { return "pong"; }
        }
      }
      """;

  @Test
  void serviceObjectWorkflowInterfaceAndNestedCompile() {
    Compilation c =
        Compilation.compile(
            Map.of(
                "demo.Greeter",
                GREETER,
                "demo.Counter",
                COUNTER,
                "demo.Signup",
                SIGNUP,
                "demo.Hello",
                IFACE,
                "demo.Outer",
                NESTED));
    assertThat(c.success).as(c.toString()).isTrue();
    assertThat(c.errors()).isEmpty();
    assertThat(c.generatedFiles())
        .containsExactlyInAnyOrder(
            "demo/GreeterClient.java",
            "demo/GreeterHandlers.java",
            "demo/GreeterServiceDefinitionFactory.java",
            "demo/CounterClient.java",
            "demo/CounterHandlers.java",
            "demo/CounterServiceDefinitionFactory.java",
            "demo/SignupClient.java",
            "demo/SignupHandlers.java",
            "demo/SignupServiceDefinitionFactory.java",
            "demo/HelloClient.java",
            "demo/HelloHandlers.java",
            "demo/HelloServiceDefinitionFactory.java",
            "demo/InnerClient.java",
            "demo/InnerHandlers.java",
            "demo/InnerServiceDefinitionFactory.java");
    assertThat(
            c.resource(
                    "META-INF/services/dev.resolute.sdk.endpoint.definition.ServiceDefinitionFactory")
                .lines())
        .containsExactlyInAnyOrder(
            "demo.GreeterServiceDefinitionFactory",
            "demo.CounterServiceDefinitionFactory",
            "demo.SignupServiceDefinitionFactory",
            "demo.HelloServiceDefinitionFactory",
            "demo.InnerServiceDefinitionFactory");
    assertThat(c.generatedSource("demo/CounterHandlers.java"))
        .contains("SERVICE_NAME = \"Counter2\"");
    assertThat(c.generatedSource("demo/GreeterHandlers.java"))
        .contains("Target.service(GreeterHandlers.Metadata.SERVICE_NAME, \"renamed\")");
  }

  @Test
  void generatedDefinitionsMatchReflectiveOnes() throws Exception {
    Compilation c =
        Compilation.compile(
            Map.of("demo.Greeter", GREETER, "demo.Counter", COUNTER, "demo.Signup", SIGNUP));
    assertThat(c.success).as(c.toString()).isTrue();
    try (URLClassLoader cl = c.loader()) {
      for (String name : List.of("Greeter", "Counter", "Signup")) {
        Object service = cl.loadClass("demo." + name).getDeclaredConstructor().newInstance();
        ServiceDefinition generated = factory(cl, name).create(service);
        ServiceDefinition reflective = ReflectiveServices.definitionOf(service);
        assertSame(generated, reflective);
        if (name.equals("Counter")) {
          assertThat(generated.getHandler("reset").getHandlerType())
              .isEqualTo(dev.resolute.sdk.endpoint.definition.HandlerType.EXCLUSIVE);
        }
      }
    }
  }

  @Test
  void generatedHandlersCallTheMethods() throws Throwable {
    Compilation c = Compilation.compile(Map.of("demo.Greeter", GREETER));
    try (URLClassLoader cl = c.loader()) {
      Object greeter = cl.loadClass("demo.Greeter").getDeclaredConstructor().newInstance();
      ServiceDefinition def = factory(cl, "Greeter").create(greeter);
      assertThat(apply(def.getHandler("greet"), "Ada")).isEqualTo("hi Ada");
      assertThat(apply(def.getHandler("renamed"), 41)).isEqualTo(42);
      assertThat(apply(def.getHandler("noIo"), null)).isNull();
      assertThat(apply(def.getHandler("raw"), "xy".getBytes())).isEqualTo("xy");
      assertThat((byte[]) apply(def.getHandler("rawOut"), null)).isEqualTo("a,b".getBytes());
      assertThat(factory(cl, "Greeter").supports(greeter)).isTrue();
      assertThat(factory(cl, "Greeter").supports("not a greeter")).isFalse();
    }
  }

  @Test
  void clientApiShape() throws Exception {
    Compilation c =
        Compilation.compile(
            Map.of("demo.Greeter", GREETER, "demo.Counter", COUNTER, "demo.Signup", SIGNUP));
    assertThat(c.success).as(c.toString()).isTrue();
    try (URLClassLoader cl = c.loader()) {
      Class<?> greeter = cl.loadClass("demo.GreeterClient");
      assertThat(
              greeter
                  .getMethod("fromContext", dev.resolute.sdk.Context.class)
                  .getReturnType()
                  .getSimpleName())
          .isEqualTo("ContextClient");
      assertThat(
              greeter
                  .getMethod("fromClient", dev.resolute.client.Client.class)
                  .getReturnType()
                  .getSimpleName())
          .isEqualTo("IngressClient");
      Class<?> ctxClient = cl.loadClass("demo.GreeterClient$ContextClient");
      assertThat(ctxClient.getMethod("greet", String.class).getReturnType())
          .isEqualTo(dev.resolute.sdk.CallDurableFuture.class);
      assertThat(ctxClient.getMethod("greet", String.class, java.util.function.Consumer.class))
          .isNotNull();
      assertThat(ctxClient.getMethod("noIo")).isNotNull();
      Class<?> ctxSend = cl.loadClass("demo.GreeterClient$ContextClient$Send");
      assertThat(ctxSend.getMethod("greet", String.class, java.time.Duration.class).getReturnType())
          .isEqualTo(dev.resolute.sdk.InvocationHandle.class);
      assertThat(ctxSend.getMethod("noIo", java.time.Duration.class)).isNotNull();
      Class<?> ingress = cl.loadClass("demo.GreeterClient$IngressClient");
      assertThat(ingress.getMethod("greet", String.class).getReturnType()).isEqualTo(String.class);
      assertThat(ingress.getMethod("other", int.class).getReturnType()).isEqualTo(int.class);
      assertThat(ingress.getMethod("noIo").getReturnType()).isEqualTo(void.class);
      assertThat(ingress.getMethod("greetAsync", String.class).getReturnType())
          .isEqualTo(java.util.concurrent.CompletableFuture.class);
      Class<?> ingressSend = cl.loadClass("demo.GreeterClient$IngressClient$Send");
      assertThat(
              ingressSend
                  .getMethod(
                      "greet",
                      String.class,
                      java.time.Duration.class,
                      java.util.function.Consumer.class)
                  .getReturnType())
          .isEqualTo(dev.resolute.client.SendResponse.class);

      Class<?> counter = cl.loadClass("demo.CounterClient");
      assertThat(counter.getMethod("fromContext", dev.resolute.sdk.Context.class, String.class))
          .isNotNull();
      assertThat(counter.getMethod("fromClient", dev.resolute.client.Client.class, String.class))
          .isNotNull();
      assertThat(counter.getMethod("connect", String.class, String.class)).isNotNull();

      Class<?> wfIngress = cl.loadClass("demo.SignupClient$IngressClient");
      assertThat(wfIngress.getMethod("submit", String.class).getReturnType())
          .isEqualTo(dev.resolute.client.SendResponse.class);
      assertThat(wfIngress.getMethod("submit", String.class, java.time.Duration.class)).isNotNull();
      assertThat(wfIngress.getMethod("submitAsync", String.class)).isNotNull();
      assertThat(wfIngress.getMethod("workflowHandle").getReturnType())
          .isEqualTo(dev.resolute.client.Client.WorkflowHandle.class);
      assertThat(wfIngress.getMethod("click", String.class).getReturnType()).isEqualTo(void.class);
      assertThat(Arrays.stream(wfIngress.getMethods()).map(Method::getName)).doesNotContain("run");
      Class<?> wfCtx = cl.loadClass("demo.SignupClient$ContextClient");
      assertThat(wfCtx.getMethod("run", String.class)).isNotNull();
    }
  }

  @Test
  void withoutTheClientOnTheClasspathOnlyContextClientsAreGenerated() throws Exception {
    Compilation c =
        Compilation.compile(
            Map.of("demo.Greeter", GREETER),
            entry ->
                !entry.contains("resolute-client")
                    && !entry.replace('\\', '/').contains("/client/target/"));
    assertThat(c.success).as(c.toString()).isTrue();
    assertThat(c.generatedSource("demo/GreeterClient.java"))
        .contains("fromContext")
        .doesNotContain("IngressClient");
  }

  @Test
  void customSerdeFactoryIsUsed() throws Exception {
    String src =
        IMPORTS
            + """
        @Service @CustomSerdeFactory(Upper.class)
        public class Shout {
          @Handler public String shout(Context ctx, String in) { return in; }
        }
        """;
    String factory =
        """
        package demo;
        public class Upper implements dev.resolute.serde.SerdeFactory {
          @SuppressWarnings("unchecked")
          public <T> dev.resolute.serde.Serde<T> create(java.lang.reflect.Type type) {
            return (dev.resolute.serde.Serde<T>) dev.resolute.serde.Serde.using("text/upper",
                (Object s) -> s.toString().toUpperCase().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b -> new String(b, java.nio.charset.StandardCharsets.UTF_8));
          }
        }
        """;
    Compilation c = Compilation.compile(Map.of("demo.Shout", src, "demo.Upper", factory));
    assertThat(c.success).as(c.toString()).isTrue();
    try (URLClassLoader cl = c.loader()) {
      ServiceDefinition def =
          factory(cl, "Shout")
              .create(cl.loadClass("demo.Shout").getDeclaredConstructor().newInstance());
      assertThat(def.getHandler("shout").getOutputSerde().contentType()).isEqualTo("text/upper");
      assertThat(def.getSerdeFactory().getClass().getName()).isEqualTo("demo.Upper");
    }
  }

  @SuppressWarnings("unchecked")
  static ServiceDefinitionFactory<Object> factory(ClassLoader cl, String name) throws Exception {
    return (ServiceDefinitionFactory<Object>)
        cl.loadClass("demo." + name + "ServiceDefinitionFactory")
            .getDeclaredConstructor()
            .newInstance();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object apply(HandlerDefinition<?, ?> h, Object input) throws Throwable {
    return ((HandlerDefinition) h).getFunction().apply(null, input);
  }

  static void assertSame(ServiceDefinition generated, ServiceDefinition reflective) {
    assertThat(generated.getServiceName()).isEqualTo(reflective.getServiceName());
    assertThat(generated.getServiceType()).isEqualTo(reflective.getServiceType());
    assertThat(generated.getHandlers())
        .extracting(HandlerDefinition::getName)
        .containsExactlyInAnyOrderElementsOf(
            reflective.getHandlers().stream().map(HandlerDefinition::getName).toList());
    for (HandlerDefinition<?, ?> r : reflective.getHandlers()) {
      HandlerDefinition<?, ?> g = generated.getHandler(r.getName());
      String where = generated.getServiceName() + "/" + r.getName();
      assertThat(g.getHandlerType()).as(where).isEqualTo(r.getHandlerType());
      assertThat(g.getAcceptContentType()).as(where).isEqualTo(r.getAcceptContentType());
      assertThat(g.getInputSerde().contentType())
          .as(where + " input")
          .isEqualTo(r.getInputSerde().contentType());
      assertThat(g.getOutputSerde().contentType())
          .as(where + " output")
          .isEqualTo(r.getOutputSerde().contentType());
      assertThat(Objects.toString(g.getInputSerde().jsonSchema()))
          .as(where + " input schema")
          .isEqualTo(Objects.toString(r.getInputSerde().jsonSchema()));
      assertThat(Objects.toString(g.getOutputSerde().jsonSchema()))
          .as(where + " output schema")
          .isEqualTo(Objects.toString(r.getOutputSerde().jsonSchema()));
    }
    assertThat(generated.getServiceType())
        .isIn(ServiceType.SERVICE, ServiceType.VIRTUAL_OBJECT, ServiceType.WORKFLOW);
    assertThat(generated.getHandlers())
        .extracting(HandlerDefinition::getHandlerType)
        .isSubsetOf(HandlerType.values());
  }
}
