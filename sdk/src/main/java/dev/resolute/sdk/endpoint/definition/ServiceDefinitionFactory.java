package dev.resolute.sdk.endpoint.definition;

/**
 * Builds the {@link ServiceDefinition} of an annotated service class without reflection. The
 * annotation processor ({@code resolute-sdk-processor}) generates one per {@code @Service},
 * {@code @VirtualObject} and {@code @Workflow} type, named {@code <Type>ServiceDefinitionFactory},
 * and registers it in {@code META-INF/services}; {@code Endpoint.bind(instance)} uses it when
 * present and falls back to reflection otherwise.
 *
 * @param <T> the annotated type
 */
public interface ServiceDefinitionFactory<T> {

  /** The definition whose handlers call {@code bindableService}. */
  ServiceDefinition create(T bindableService);

  /** Whether {@code serviceObject} is an instance of the annotated type. */
  boolean supports(Object serviceObject);
}
