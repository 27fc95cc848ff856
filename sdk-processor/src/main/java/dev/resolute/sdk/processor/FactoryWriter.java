package dev.resolute.sdk.processor;

import dev.resolute.sdk.processor.ServiceModel.HandlerModel;

/**
 * Writes {@code <Type>ServiceDefinitionFactory}: the service definition built with direct method
 * calls instead of reflection, found by {@code Endpoint.bind} through {@code META-INF/services}.
 */
final class FactoryWriter {
  static final String INTERFACE = "dev.resolute.sdk.endpoint.definition.ServiceDefinitionFactory";
  private static final String DEF = "dev.resolute.sdk.endpoint.definition.";

  private FactoryWriter() {}

  static String className(ServiceModel s) {
    return s.simpleName() + "ServiceDefinitionFactory";
  }

  static String write(ServiceModel s) {
    String handlers = HandlersWriter.className(s);
    Src o = new Src();
    Writers.header(o, s);
    o.line("/** Binds {@link " + s.qualifiedName() + "} without reflection. */");
    o.line(Writers.GENERATED);
    o.line(
        "public final class "
            + className(s)
            + " implements "
            + INTERFACE
            + "<"
            + s.qualifiedName()
            + "> {");
    o.blank();
    o.line("@Override");
    o.line(
        "public " + DEF + "ServiceDefinition create(" + s.qualifiedName() + " bindableService) {");
    o.line("java.util.Objects.requireNonNull(bindableService, \"bindableService\");");
    o.line("return " + DEF + "ServiceDefinition.of(");
    o.line("    " + handlers + ".Metadata.SERVICE_NAME,");
    o.line("    " + DEF + "ServiceType." + s.kind().name() + ",");
    o.line("    java.util.List.<" + DEF + "HandlerDefinition<?, ?>>of(");
    for (int i = 0; i < s.handlers().size(); i++) {
      HandlerModel h = s.handlers().get(i);
      // the handler function receives a Context: a cast only for the narrower context types, so
      // the generated code compiles without lint warnings
      String ctxArg =
          "dev.resolute.sdk.Context".equals(h.contextType())
              ? "ctx"
              : "(" + h.contextType() + ") ctx";
      String call =
          "bindableService."
              + h.methodName()
              + "("
              + ctxArg
              + (h.inputType() == null ? "" : ", input")
              + ")";
      String fn =
          h.outputType() == null
              ? "(ctx, input) -> { " + call + "; return null; }"
              : "(ctx, input) -> " + call;
      String serdes = handlers + ".Metadata.Serde." + h.constant();
      o.line(
          "        "
              + DEF
              + "HandlerDefinition.of("
              + Src.lit(h.name())
              + ", "
              + DEF
              + "HandlerType."
              + h.kind().name()
              + ", "
              + serdes
              + "_INPUT, "
              + serdes
              + "_OUTPUT,");
      o.line(
          "            "
              + fn
              + ")"
              + (h.accept() == null ? "" : ".withAcceptContentType(" + Src.lit(h.accept()) + ")")
              + (i == s.handlers().size() - 1 ? ")," : ","));
    }
    o.line("    " + handlers + ".Metadata.SERDE_FACTORY);");
    o.line("}");
    o.blank();
    o.line("@Override");
    o.line("public boolean supports(Object serviceObject) {");
    o.line("return serviceObject instanceof " + s.qualifiedName() + ";");
    o.line("}");
    o.line("}");
    return o.toString();
  }
}
