package dev.resolute.sdk.processor;

import dev.resolute.sdk.processor.ServiceModel.HandlerKind;
import dev.resolute.sdk.processor.ServiceModel.HandlerModel;
import dev.resolute.sdk.processor.ServiceModel.Kind;

/**
 * Writes {@code <Type>Client}: {@code fromContext} (calls from inside a handler, returning {@code
 * CallDurableFuture}s, and {@code send()} returning invocation handles) and, when the ingress
 * client is on the compile classpath, {@code fromClient}/{@code connect} (blocking and {@code
 * …Async} calls, {@code send()}, and for workflows {@code submit}/{@code workflowHandle}). Every
 * call has an overload taking a {@code Consumer<RequestBuilder>} for the idempotency key and
 * headers; every send an overload with a delay.
 */
final class ClientWriter {
  private static final String RB = "dev.resolute.common.RequestBuilder";
  private static final String DURATION = "java.time.Duration";
  private static final String CF = "java.util.concurrent.CompletableFuture";

  private ClientWriter() {}

  static String className(ServiceModel s) {
    return s.simpleName() + "Client";
  }

  static String write(ServiceModel s, boolean withIngress) {
    String cls = className(s);
    boolean keyed = s.kind().keyed();
    String keyParam = keyed ? ", String key" : "";
    String keyArg = keyed ? ", key" : "";
    Src o = new Src();
    Writers.header(o, s);
    o.line(
        "/** Typed clients of {@link "
            + s.qualifiedName()
            + "} (service {@code "
            + s.serviceName()
            + "}). */");
    o.line(Writers.GENERATED);
    o.line("public final class " + cls + " {");
    o.line("private " + cls + "() {}");
    o.blank();
    o.line("/** A client for calls and sends from inside a handler. */");
    o.line(
        "public static ContextClient fromContext(dev.resolute.sdk.Context ctx" + keyParam + ") {");
    o.line("return new ContextClient(ctx" + keyArg + ");");
    o.line("}");
    if (withIngress) {
      o.blank();
      o.line("/** A client over an ingress {@link dev.resolute.client.Client}. */");
      o.line(
          "public static IngressClient fromClient(dev.resolute.client.Client client"
              + keyParam
              + ") {");
      o.line("return new IngressClient(client" + keyArg + ");");
      o.line("}");
      o.blank();
      o.line("public static IngressClient connect(String baseUri" + keyParam + ") {");
      o.line(
          "return new IngressClient(dev.resolute.client.Client.connect(baseUri, "
              + HandlersWriter.className(s)
              + ".Metadata.SERDE_FACTORY)"
              + keyArg
              + ");");
      o.line("}");
      o.blank();
      o.line(
          "public static IngressClient connect(String baseUri, dev.resolute.client.RequestOptions requestOptions"
              + keyParam
              + ") {");
      o.line(
          "return new IngressClient(dev.resolute.client.Client.connect(baseUri, "
              + HandlersWriter.className(s)
              + ".Metadata.SERDE_FACTORY, requestOptions)"
              + keyArg
              + ");");
      o.line("}");
    }
    o.blank();
    o.line(
        "private static <I, O> "
            + RB
            + "<I, O> apply("
            + RB
            + "<I, O> request, java.util.function.Consumer<"
            + RB
            + "<I, O>> requestBuilderApplier) {");
    o.line("if (requestBuilderApplier != null) {");
    o.line("requestBuilderApplier.accept(request);");
    o.line("}");
    o.line("return request;");
    o.line("}");
    o.blank();
    contextClient(o, s);
    if (withIngress) {
      o.blank();
      ingressClient(o, s);
    }
    o.line("}");
    return o.toString();
  }

  private static void fields(Src o, ServiceModel s, String owner, String ownerType) {
    o.line("private final " + ownerType + " " + owner + ";");
    if (s.kind().keyed()) {
      o.line("private final String key;");
    }
    o.blank();
    o.line(
        "public "
            + (owner.equals("ctx") ? "ContextClient" : "IngressClient")
            + "("
            + ownerType
            + " "
            + owner
            + (s.kind().keyed() ? ", String key" : "")
            + ") {");
    o.line(
        "this." + owner + " = java.util.Objects.requireNonNull(" + owner + ", \"" + owner + "\");");
    if (s.kind().keyed()) {
      o.line("this.key = java.util.Objects.requireNonNull(key, \"key\");");
    }
    o.line("}");
  }

  private static void contextClient(Src o, ServiceModel s) {
    o.line("/** Calls from a handler: each returns a future to {@code await()}. */");
    o.line("public static final class ContextClient {");
    fields(o, s, "ctx", "dev.resolute.sdk.Context");
    for (HandlerModel h : s.handlers()) {
      String fut = "dev.resolute.sdk.CallDurableFuture<" + h.outType() + ">";
      method(o, fut, h.methodName(), in(h), "return ctx.call(" + req(s, h) + ");");
      method(
          o,
          fut,
          h.methodName(),
          join(in(h), applier(h)),
          "return ctx.call(apply(" + req(s, h) + ", requestBuilderApplier));");
    }
    o.blank();
    o.line(
        "/** One-way sends (optionally delayed); each returns a handle on the new invocation. */");
    o.line("public Send send() {");
    o.line("return new Send();");
    o.line("}");
    o.blank();
    o.line("/** One-way sends from a handler. */");
    o.line("public final class Send {");
    for (HandlerModel h : s.handlers()) {
      String handle = "dev.resolute.sdk.InvocationHandle<" + h.outType() + ">";
      String r = req(s, h);
      String ra = "apply(" + r + ", requestBuilderApplier)";
      method(o, handle, h.methodName(), in(h), "return ctx.send(" + r + ");");
      method(o, handle, h.methodName(), join(in(h), applier(h)), "return ctx.send(" + ra + ");");
      method(
          o,
          handle,
          h.methodName(),
          join(in(h), DURATION + " delay"),
          "return ctx.send(" + r + ", delay);");
      method(
          o,
          handle,
          h.methodName(),
          join(in(h), DURATION + " delay", applier(h)),
          "return ctx.send(" + ra + ", delay);");
    }
    o.line("}");
    o.line("}");
  }

  private static void ingressClient(Src o, ServiceModel s) {
    o.line("/** Calls through the ingress, from code that is not a handler. */");
    o.line("public static final class IngressClient {");
    fields(o, s, "client", "dev.resolute.client.Client");
    for (HandlerModel h : s.handlers()) {
      String r = req(s, h);
      String ra = "apply(" + r + ", requestBuilderApplier)";
      if (s.kind() == Kind.WORKFLOW && h.kind() == HandlerKind.WORKFLOW) {
        String resp = "dev.resolute.client.SendResponse<" + h.outType() + ">";
        o.blank();
        o.line("/** A handle on this workflow's run: attach to it or peek at its output. */");
        o.line(
            "public dev.resolute.client.Client.WorkflowHandle<"
                + h.outType()
                + "> workflowHandle() {");
        o.line(
            "return client.workflowHandle("
                + HandlersWriter.className(s)
                + ".Metadata.SERVICE_NAME, key, "
                + HandlersWriter.className(s)
                + ".Metadata.Serde."
                + h.constant()
                + "_OUTPUT);");
        o.line("}");
        sendVariants(o, h, "submit", "client.submit", resp, r, ra);
        continue;
      }
      boolean isVoid = h.returnType().equals("void");
      String ret = isVoid ? "" : "return ";
      method(o, h.returnType(), h.methodName(), in(h), ret + "client.call(" + r + ").response();");
      method(
          o,
          h.returnType(),
          h.methodName(),
          join(in(h), applier(h)),
          ret + "client.call(" + ra + ".build()).response();");
      String cf = CF + "<" + h.outType() + ">";
      method(
          o,
          cf,
          h.methodName() + "Async",
          in(h),
          "return client.callAsync(" + r + ").thenApply(dev.resolute.client.Response::response);");
      method(
          o,
          cf,
          h.methodName() + "Async",
          join(in(h), applier(h)),
          "return client.callAsync("
              + ra
              + ".build()).thenApply(dev.resolute.client.Response::response);");
    }
    o.blank();
    o.line("/** One-way sends (optionally delayed) through the ingress. */");
    o.line("public Send send() {");
    o.line("return new Send();");
    o.line("}");
    o.blank();
    o.line("/** One-way sends through the ingress. */");
    o.line("public final class Send {");
    for (HandlerModel h : s.handlers()) {
      if (s.kind() == Kind.WORKFLOW && h.kind() == HandlerKind.WORKFLOW) {
        continue;
      }
      String resp = "dev.resolute.client.SendResponse<" + h.outType() + ">";
      String r = req(s, h);
      sendVariants(
          o, h, h.methodName(), "client.send", resp, r, "apply(" + r + ", requestBuilderApplier)");
    }
    o.line("}");
    o.line("}");
  }

  /**
   * Blocking and async variants of a send-like operation, each plain / with applier / delayed /
   * both.
   */
  private static void sendVariants(
      Src o, HandlerModel h, String name, String op, String resp, String r, String ra) {
    String opAsync = op + "Async";
    String cf = CF + "<" + resp + ">";
    method(o, resp, name, in(h), "return " + op + "(" + r + ");");
    method(o, resp, name, join(in(h), applier(h)), "return " + op + "(" + ra + ");");
    method(o, resp, name, join(in(h), DURATION + " delay"), "return " + op + "(" + r + ", delay);");
    method(
        o,
        resp,
        name,
        join(in(h), DURATION + " delay", applier(h)),
        "return " + op + "(" + ra + ", delay);");
    method(o, cf, name + "Async", in(h), "return " + opAsync + "(" + r + ");");
    method(o, cf, name + "Async", join(in(h), applier(h)), "return " + opAsync + "(" + ra + ");");
    method(
        o,
        cf,
        name + "Async",
        join(in(h), DURATION + " delay"),
        "return " + opAsync + "(" + r + ", delay);");
    method(
        o,
        cf,
        name + "Async",
        join(in(h), DURATION + " delay", applier(h)),
        "return " + opAsync + "(" + ra + ", delay);");
  }

  private static void method(Src o, String returnType, String name, String params, String body) {
    o.blank();
    o.line("public " + returnType + " " + name + "(" + params + ") {");
    o.line(body);
    o.line("}");
  }

  private static String in(HandlerModel h) {
    return h.inputType() == null ? "" : h.inputParamType() + " req";
  }

  private static String applier(HandlerModel h) {
    return "java.util.function.Consumer<"
        + RB
        + "<"
        + h.inType()
        + ", "
        + h.outType()
        + ">> requestBuilderApplier";
  }

  private static String req(ServiceModel s, HandlerModel h) {
    String args = join(s.kind().keyed() ? "key" : "", h.inputType() == null ? "" : "req");
    return HandlersWriter.className(s) + "." + h.methodName() + "(" + args + ")";
  }

  private static String join(String... parts) {
    StringBuilder b = new StringBuilder();
    for (String p : parts) {
      if (!p.isEmpty()) {
        b.append(b.length() == 0 ? "" : ", ").append(p);
      }
    }
    return b.toString();
  }
}
