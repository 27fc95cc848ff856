package dev.resolute.sdk.internal.reflect;

import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.endpoint.definition.ServiceDefinitionFactory;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the {@link ServiceDefinitionFactory} generated for the annotated type of a service instance
 * (through {@link ServiceLoader} on that type's class loader), cached per type. Only the factory
 * declared for exactly the annotated type that reflection would use is taken, so generated and
 * reflective binding agree on which type defines the service.
 */
public final class GeneratedServices {
  private static final ClassValue<Optional<ServiceDefinitionFactory<?>>> FACTORIES =
      new ClassValue<>() {
        @Override
        protected Optional<ServiceDefinitionFactory<?>> computeValue(Class<?> annotated) {
          ClassLoader cl =
              annotated.getClassLoader() != null
                  ? annotated.getClassLoader()
                  : ClassLoader.getSystemClassLoader();
          @SuppressWarnings("rawtypes") // ServiceLoader can only name the raw type
          Iterator<ServiceDefinitionFactory> it =
              ServiceLoader.load(ServiceDefinitionFactory.class, cl).iterator();
          int errors = 0;
          while (errors < 100) {
            ServiceDefinitionFactory<?> f;
            try {
              if (!it.hasNext()) {
                break;
              }
              f = it.next();
            } catch (ServiceConfigurationError e) {
              errors++;
              continue; // a stale entry (class removed since an incremental compile): skip it
            }
            if (declaredType(f.getClass()) == annotated) {
              return Optional.of(f);
            }
          }
          return Optional.empty();
        }
      };

  private GeneratedServices() {}

  /**
   * The generated definition of {@code instance}, or empty when no factory was generated for its
   * type.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Optional<ServiceDefinition> definitionOf(Object instance) {
    Class<?> annotated = ReflectiveServices.findAnnotated(instance.getClass());
    if (annotated == null) {
      return Optional.empty();
    }
    return FACTORIES
        .get(annotated)
        .filter(f -> f.supports(instance))
        .map(f -> ((ServiceDefinitionFactory) f).create(instance));
  }

  private static Type declaredType(Class<?> factoryClass) {
    for (Type t : factoryClass.getGenericInterfaces()) {
      if (t instanceof ParameterizedType pt && pt.getRawType() == ServiceDefinitionFactory.class) {
        return pt.getActualTypeArguments()[0];
      }
    }
    return null;
  }
}
