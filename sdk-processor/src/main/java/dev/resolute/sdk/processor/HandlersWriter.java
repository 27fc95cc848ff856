package dev.resolute.sdk.processor;

import dev.resolute.sdk.processor.ServiceModel.HandlerModel;

/**
 * Writes {@code <Type>Handlers}: one static {@code RequestBuilder} factory per handler, the service
 * name, the serde factory and one serde constant per handler input and output ({@code Metadata}).
 */
final class HandlersWriter {
  private HandlersWriter() {}

  static String className(ServiceModel s) {
    return s.simpleName() + "Handlers";
  }

  static String write(ServiceModel s) {
    String cls = className(s);
    Src o = new Src();
    Writers.header(o, s);
    o.line(
        "/** Request builders and serdes of the handlers of {@link " + s.qualifiedName() + "}. */");
    o.line(Writers.GENERATED);
    o.line("public final class " + cls + " {");
    o.line("private " + cls + "() {}");
    for (HandlerModel h : s.handlers()) {
      o.blank();
      o.line(
          "public static dev.resolute.common.RequestBuilder<"
              + h.inType()
              + ", "
              + h.outType()
              + "> "
              + h.methodName()
              + "("
              + params(s, h)
              + ") {");
      o.line("return dev.resolute.common.Request.of(");
      o.line("    " + target(s, h) + ",");
      o.line("    " + cls + ".Metadata.Serde." + h.constant() + "_INPUT,");
      o.line("    " + cls + ".Metadata.Serde." + h.constant() + "_OUTPUT,");
      o.line("    " + (h.inputType() == null ? "null" : "req") + ");");
      o.line("}");
    }
    o.blank();
    o.line("/** Service name, serde factory and handler serdes. */");
    o.line("public static final class Metadata {");
    o.line("public static final String SERVICE_NAME = " + Src.lit(s.serviceName()) + ";");
    o.line(
        "public static final dev.resolute.serde.SerdeFactory SERDE_FACTORY = "
            + s.serdeFactory()
            + ";");
    o.blank();
    o.line("private Metadata() {}");
    o.blank();
    o.line("/** Input and output serdes, {@code <METHOD>_INPUT} / {@code <METHOD>_OUTPUT}. */");
    o.line("public static final class Serde {");
    for (HandlerModel h : s.handlers()) {
      o.line(
          "public static final dev.resolute.serde.Serde<"
              + h.inType()
              + "> "
              + h.constant()
              + "_INPUT = "
              + serde(h.inputType(), h.rawInputContentType())
              + ";");
      o.line(
          "public static final dev.resolute.serde.Serde<"
              + h.outType()
              + "> "
              + h.constant()
              + "_OUTPUT = "
              + serde(h.outputType(), h.rawOutputContentType())
              + ";");
    }
    o.blank();
    o.line("private Serde() {}");
    o.line("}");
    o.line("}");
    o.line("}");
    return o.toString();
  }

  /** {@code [String key, ][In req]}. */
  static String params(ServiceModel s, HandlerModel h) {
    String p = s.kind().keyed() ? "String key" : "";
    if (h.inputType() != null) {
      p += (p.isEmpty() ? "" : ", ") + h.inputParamType() + " req";
    }
    return p;
  }

  private static String target(ServiceModel s, HandlerModel h) {
    String name = className(s) + ".Metadata.SERVICE_NAME";
    return switch (s.kind()) {
      case SERVICE -> "dev.resolute.common.Target.service(" + name + ", " + Src.lit(h.name()) + ")";
      case VIRTUAL_OBJECT ->
          "dev.resolute.common.Target.virtualObject(" + name + ", key, " + Src.lit(h.name()) + ")";
      case WORKFLOW ->
          "dev.resolute.common.Target.workflow(" + name + ", key, " + Src.lit(h.name()) + ")";
    };
  }

  private static String serde(String type, String rawContentType) {
    if (type == null) {
      return "dev.resolute.serde.Serde.VOID";
    }
    if (rawContentType != null) {
      if (rawContentType.equals("application/octet-stream")) {
        return "dev.resolute.serde.Serde.RAW";
      }
      return "dev.resolute.serde.Serde.withContentType("
          + Src.lit(rawContentType)
          + ", dev.resolute.serde.Serde.RAW)";
    }
    return "SERDE_FACTORY.create(new dev.resolute.serde.TypeRef<" + type + ">() {})";
  }
}
