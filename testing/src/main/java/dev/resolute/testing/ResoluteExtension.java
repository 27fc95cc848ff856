package dev.resolute.testing;

import dev.resolute.client.Client;
import java.lang.reflect.Field;
import java.lang.reflect.Parameter;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The JUnit 5 extension behind {@link ResoluteTest}: before all tests of a class it starts a {@link
 * ResoluteRunner} with the class's {@link BindService} fields and prints how long the set-up took;
 * the runner is closed when the class's extension context closes (after {@code @AfterAll}).
 * {@code @Nested} classes share the enclosing class's server.
 */
public final class ResoluteExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ResoluteExtension.class);
  private static final String RUNNER = "runner";

  @Override
  public void beforeAll(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    if (context.getStore(NAMESPACE).get(ResoluteRunner.class, ResoluteRunner.class) != null) {
      return; // a @Nested class: uses the enclosing class's server
    }
    ResoluteTest config =
        AnnotationSupport.findAnnotation(testClass, ResoluteTest.class)
            .orElseThrow(
                () ->
                    new ExtensionConfigurationException(
                        testClass.getName() + " is not annotated with @ResoluteTest"));
    if (context.getTestInstanceLifecycle().orElse(TestInstance.Lifecycle.PER_METHOD)
        != TestInstance.Lifecycle.PER_CLASS) {
      throw new ExtensionConfigurationException(
          "@ResoluteTest needs @TestInstance(PER_CLASS): " + testClass.getName());
    }
    Object instance = context.getRequiredTestInstance();
    ResoluteRunner.Builder builder =
        ResoluteRunner.builder()
            .server(config.server())
            .useHttp11(config.useHttp11())
            .partitions(config.partitions());
    for (Object service : boundServices(instance)) {
      builder.bind(service);
    }
    ResoluteRunner runner = builder.start();
    context
        .getStore(NAMESPACE)
        .put(RUNNER, (ExtensionContext.Store.CloseableResource) runner::close);
    context.getStore(NAMESPACE).put(ResoluteRunner.class, runner);
    System.out.println(
        "[resolute-testing] "
            + testClass.getSimpleName()
            + ": "
            + config.server()
            + " server ready in "
            + runner.setupTimes()
            + "; ingress "
            + runner.ingressUri()
            + ", admin "
            + runner.adminUri()
            + ", endpoint "
            + runner.endpointUri());
  }

  private static List<Object> boundServices(Object instance) {
    List<Field> fields =
        AnnotationSupport.findAnnotatedFields(
            instance.getClass(), BindService.class, f -> true, HierarchyTraversalMode.TOP_DOWN);
    return fields.stream()
        .map(
            f -> {
              try {
                f.setAccessible(true);
                Object value = f.get(instance);
                if (value == null) {
                  throw new ExtensionConfigurationException(
                      "@BindService field " + f.getName() + " is null");
                }
                return value;
              } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException(
                    "cannot read @BindService field " + f.getName(), e);
              }
            })
        .toList();
  }

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    Parameter p = pc.getParameter();
    Class<?> type = p.getType();
    if (pc.isAnnotated(ResoluteClient.class)) {
      return type == Client.class || type == IngressClient.class;
    }
    if (pc.isAnnotated(ResoluteIngressEndpointURL.class)
        || pc.isAnnotated(ResoluteAdminEndpointURL.class)) {
      return type == URI.class || type == URL.class || type == String.class;
    }
    return type == ResoluteRunner.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    ResoluteRunner runner = ec.getStore(NAMESPACE).get(ResoluteRunner.class, ResoluteRunner.class);
    if (runner == null) {
      throw new ParameterResolutionException(
          "the Resolute test server is not running (inject into tests,"
              + " @BeforeEach or @AfterAll; @BeforeAll runs before it starts)");
    }
    if (pc.isAnnotated(ResoluteClient.class)) {
      return pc.getParameter().getType() == Client.class ? runner.client() : runner.ingressClient();
    }
    if (pc.isAnnotated(ResoluteIngressEndpointURL.class)) {
      return convert(runner.ingressUri(), pc.getParameter().getType());
    }
    if (pc.isAnnotated(ResoluteAdminEndpointURL.class)) {
      return convert(runner.adminUri(), pc.getParameter().getType());
    }
    return runner;
  }

  private static Object convert(URI uri, Class<?> type) {
    if (type == URI.class) {
      return uri;
    }
    if (type == String.class) {
      return uri.toString();
    }
    try {
      return uri.toURL();
    } catch (MalformedURLException e) {
      throw new ParameterResolutionException("bad URL " + uri, e);
    }
  }
}
