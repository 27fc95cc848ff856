package dev.resolute.sdk.processor;

import java.util.List;

/**
 * What the processor learned about one annotated type; every Java type is already rendered as
 * source text.
 *
 * @param packageName package of the annotated type (the generated classes go there too)
 * @param simpleName simple name of the annotated type, prefix of the generated class names
 * @param qualifiedName canonical name of the annotated type
 * @param serviceName the service name ({@code @Name} or the simple name)
 * @param kind {@code SERVICE}, {@code VIRTUAL_OBJECT} or {@code WORKFLOW}
 * @param serdeFactory expression creating the serde factory
 */
record ServiceModel(
    String packageName,
    String simpleName,
    String qualifiedName,
    String serviceName,
    Kind kind,
    String serdeFactory,
    List<HandlerModel> handlers) {

  enum Kind {
    SERVICE,
    VIRTUAL_OBJECT,
    WORKFLOW;

    boolean keyed() {
      return this != SERVICE;
    }
  }

  enum HandlerKind {
    SHARED,
    EXCLUSIVE,
    WORKFLOW
  }

  /**
   * One handler.
   *
   * @param methodName Java method name (also the name of the generated client methods)
   * @param name handler name ({@code @Name} or the method name)
   * @param contextType source text of the declared context parameter type
   * @param inputType boxed input type, {@code null} without input
   * @param inputParamType declared input type ({@code long}, …) for the generated method parameters
   * @param outputType boxed output type, {@code null} for void
   * @param returnType declared return type ({@code void}, {@code long}, …) for blocking ingress
   *     calls
   * @param rawInputContentType content type when the input is {@code @Raw byte[]}, else null
   * @param rawOutputContentType content type when the output is {@code @Raw byte[]}, else null
   * @param accept {@code @Accept} value or null
   */
  record HandlerModel(
      String methodName,
      String name,
      HandlerKind kind,
      String contextType,
      String inputType,
      String inputParamType,
      String outputType,
      String returnType,
      String rawInputContentType,
      String rawOutputContentType,
      String accept) {

    String inType() {
      return inputType == null ? "Void" : inputType;
    }

    String outType() {
      return outputType == null ? "Void" : outputType;
    }

    String constant() {
      return methodName.toUpperCase(java.util.Locale.ROOT);
    }
  }
}
