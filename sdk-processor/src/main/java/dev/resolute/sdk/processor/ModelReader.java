package dev.resolute.sdk.processor;

import dev.resolute.sdk.processor.ServiceModel.HandlerKind;
import dev.resolute.sdk.processor.ServiceModel.HandlerModel;
import dev.resolute.sdk.processor.ServiceModel.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Reads an annotated type into a {@link ServiceModel}, checking the same rules as the SDK's
 * reflective binding (and a few more that reflection can only find at run time). Every problem is
 * reported as a compile error on the offending element; {@code null} is returned then.
 */
final class ModelReader {
  static final String ANN = "dev.resolute.sdk.annotation.";
  private static final Pattern SERVICE_NAME =
      Pattern.compile("^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9._-]*$");
  private static final Pattern HANDLER_NAME =
      Pattern.compile("^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9_]*$");

  private final Elements elements;
  private final Types types;
  private final Messager messager;
  private boolean failed;

  ModelReader(Elements elements, Types types, Messager messager) {
    this.elements = elements;
    this.types = types;
    this.messager = messager;
  }

  ServiceModel read(TypeElement type) {
    failed = false;
    Kind kind = kindOf(type);
    if (type.getKind() != ElementKind.CLASS && type.getKind() != ElementKind.INTERFACE) {
      return error(type, "@Service, @VirtualObject and @Workflow go on classes or interfaces");
    }
    if (type.getModifiers().contains(Modifier.PRIVATE)) {
      return error(type, "a service type must not be private");
    }
    if (type.getNestingKind() == NestingKind.MEMBER
        && !type.getModifiers().contains(Modifier.STATIC)
        && type.getKind() == ElementKind.CLASS) {
      return error(type, "a nested service class must be static");
    }
    if (type.getNestingKind() == NestingKind.LOCAL
        || type.getNestingKind() == NestingKind.ANONYMOUS) {
      return error(type, "a service type must be top-level or a static nested type");
    }
    if (!type.getTypeParameters().isEmpty()) {
      return error(type, "a service type must not be generic");
    }
    String serviceName = stringValue(type, "Name", "value");
    if (serviceName == null) {
      serviceName = type.getSimpleName().toString();
    }
    if (!SERVICE_NAME.matcher(serviceName).matches()
        || serviceName.toLowerCase().startsWith("restate")
        || serviceName.equals("openapi")) {
      return error(type, "invalid or reserved service name '" + serviceName + "'");
    }
    String serdeFactory = "dev.resolute.serde.jackson.JacksonSerdeFactory.DEFAULT";
    TypeMirror custom = typeValue(type, "CustomSerdeFactory", "value");
    if (custom != null) {
      serdeFactory = "new " + types.erasure(custom) + "()";
    }

    List<HandlerModel> handlers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> methodNames = new HashSet<>();
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      boolean isExclusive = annotation(m, "Exclusive") != null;
      boolean isHandler = annotation(m, "Handler") != null || isExclusive;
      boolean isShared = annotation(m, "Shared") != null;
      boolean isWorkflow = annotation(m, "Workflow") != null;
      boolean declares =
          annotation(m, "Schedule") != null
              || annotation(m, "Schedule.List") != null
              || annotation(m, "RateLimit") != null;
      if (!isHandler && !isShared && !isWorkflow) {
        if (declares) {
          error(m, "@Schedule and @RateLimit go on handler methods");
        }
        continue;
      }
      if (isExclusive && kind != Kind.VIRTUAL_OBJECT) {
        error(m, "@Exclusive handlers exist only in virtual objects");
        continue;
      }
      if (isExclusive && isShared) {
        error(m, "a handler is either @Exclusive or @Shared");
        continue;
      }
      HandlerModel h = handler(type, kind, m, isShared, isWorkflow);
      if (h == null) {
        continue;
      }
      if (!names.add(h.name())) {
        error(m, "duplicate handler name '" + h.name() + "'");
      }
      if (!methodNames.add(h.methodName())) {
        error(m, "handler methods must not be overloaded: '" + h.methodName() + "'");
      }
      handlers.add(h);
    }
    if (handlers.isEmpty() && !failed) {
      error(type, "a service needs at least one handler method (@Handler, @Shared or @Workflow)");
    }
    if (kind == Kind.WORKFLOW
        && handlers.stream().filter(h -> h.kind() == HandlerKind.WORKFLOW).count() != 1) {
      error(type, "a workflow needs exactly one @Workflow method (its run handler)");
    }
    if (failed) {
      return null;
    }
    String pkg =
        elements.getPackageOf(type).isUnnamed()
            ? ""
            : elements.getPackageOf(type).getQualifiedName().toString();
    return new ServiceModel(
        pkg,
        type.getSimpleName().toString(),
        type.getQualifiedName().toString(),
        serviceName,
        kind,
        serdeFactory,
        handlers);
  }

  private HandlerModel handler(
      TypeElement type, Kind kind, ExecutableElement m, boolean isShared, boolean isWorkflow) {
    if (!m.getModifiers().contains(Modifier.PUBLIC) || m.getModifiers().contains(Modifier.STATIC)) {
      error(m, "a handler method must be public and not static");
      return null;
    }
    if (!m.getTypeParameters().isEmpty()) {
      error(m, "a handler method must not be generic");
      return null;
    }
    HandlerKind hk;
    String ctx;
    switch (kind) {
      case SERVICE -> {
        if (isShared || isWorkflow) {
          error(m, "@Shared and @Workflow handlers exist only in virtual objects and workflows");
          return null;
        }
        hk = HandlerKind.SHARED;
        ctx = "dev.resolute.sdk.Context";
      }
      case VIRTUAL_OBJECT -> {
        if (isWorkflow) {
          error(m, "@Workflow handlers exist only in workflows");
          return null;
        }
        hk = isShared ? HandlerKind.SHARED : HandlerKind.EXCLUSIVE;
        ctx = isShared ? "dev.resolute.sdk.SharedObjectContext" : "dev.resolute.sdk.ObjectContext";
      }
      default -> {
        if (isWorkflow && isShared) {
          error(m, "a handler is either @Workflow or @Shared");
          return null;
        }
        if (!isWorkflow && !isShared) {
          error(m, "workflow handlers are @Workflow (the run handler) or @Shared");
          return null;
        }
        hk = isWorkflow ? HandlerKind.WORKFLOW : HandlerKind.SHARED;
        ctx =
            isWorkflow
                ? "dev.resolute.sdk.WorkflowContext"
                : "dev.resolute.sdk.SharedWorkflowContext";
      }
    }
    List<? extends VariableElement> params = m.getParameters();
    TypeElement ctxElement = elements.getTypeElement(ctx);
    if (params.isEmpty()
        || params.size() > 2
        || ctxElement == null
        || !types.isAssignable(ctxElement.asType(), params.get(0).asType())) {
      error(
          m,
          "a handler takes a "
              + ctx.substring(ctx.lastIndexOf('.') + 1)
              + " (or a supertype) as first parameter, and at most one input parameter");
      return null;
    }
    String handlerName = stringValue(m, "Name", "value");
    if (handlerName == null) {
      handlerName = m.getSimpleName().toString();
    }
    if (!HANDLER_NAME.matcher(handlerName).matches()) {
      error(m, "invalid handler name '" + handlerName + "'");
      return null;
    }
    String input = null;
    String inputParam = null;
    String rawIn = null;
    String accept = null;
    if (params.size() == 2) {
      VariableElement p = params.get(1);
      if (!checkType(p, p.asType())) {
        return null;
      }
      if (annotation(p, "Raw") != null) {
        if (!isByteArray(p.asType())) {
          error(p, "@Raw input must be byte[]");
          return null;
        }
        rawIn = stringValueOrDefault(p, "Raw", "contentType", "application/octet-stream");
      }
      accept = stringValue(p, "Accept", "value");
      input = boxed(p.asType());
      inputParam = p.asType().toString();
    }
    if (accept == null) {
      accept = stringValue(m, "Accept", "value");
    }
    TypeMirror ret = m.getReturnType();
    String output = null;
    String rawOut = null;
    if (ret.getKind() != TypeKind.VOID && !isJavaLangVoid(ret)) {
      if (!checkType(m, ret)) {
        return null;
      }
      if (annotation(m, "Raw") != null) {
        if (!isByteArray(ret)) {
          error(m, "@Raw output must be byte[]");
          return null;
        }
        rawOut = stringValueOrDefault(m, "Raw", "contentType", "application/octet-stream");
      }
      output = boxed(ret);
    }
    String returnType =
        ret.getKind() == TypeKind.VOID || isJavaLangVoid(ret) ? "void" : ret.toString();
    return new HandlerModel(
        m.getSimpleName().toString(),
        handlerName,
        hk,
        params.get(0).asType().toString(),
        input,
        inputParam,
        output,
        returnType,
        rawIn,
        rawOut,
        accept);
  }

  private boolean checkType(Element where, TypeMirror t) {
    if (t instanceof TypeVariable
        || t.getKind() == TypeKind.ERROR
        || t.getKind() == TypeKind.WILDCARD) {
      error(where, "handler input and output types must be concrete types, got " + t);
      return false;
    }
    if (t instanceof DeclaredType dt) {
      for (TypeMirror a : dt.getTypeArguments()) {
        if (a instanceof TypeVariable) {
          error(where, "handler input and output types must not use type variables, got " + t);
          return false;
        }
      }
    }
    return true;
  }

  private boolean isByteArray(TypeMirror t) {
    return t instanceof ArrayType at && at.getComponentType().getKind() == TypeKind.BYTE;
  }

  private boolean isJavaLangVoid(TypeMirror t) {
    return t instanceof DeclaredType dt
        && ((TypeElement) dt.asElement()).getQualifiedName().contentEquals("java.lang.Void");
  }

  private String boxed(TypeMirror t) {
    if (t.getKind().isPrimitive()) {
      return types.boxedClass((PrimitiveType) t).getQualifiedName().toString();
    }
    return t.toString();
  }

  static Kind kindOf(TypeElement type) {
    if (annotation(type, "Service") != null) {
      return Kind.SERVICE;
    }
    return annotation(type, "VirtualObject") != null ? Kind.VIRTUAL_OBJECT : Kind.WORKFLOW;
  }

  static AnnotationMirror annotation(Element e, String simpleName) {
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      if (((TypeElement) a.getAnnotationType().asElement())
          .getQualifiedName()
          .contentEquals(ANN + simpleName)) {
        return a;
      }
    }
    return null;
  }

  private AnnotationValue value(
      Element e, String annotation, String attribute, boolean withDefaults) {
    AnnotationMirror a = annotation(e, annotation);
    if (a == null) {
      return null;
    }
    Map<? extends ExecutableElement, ? extends AnnotationValue> values =
        withDefaults ? elements.getElementValuesWithDefaults(a) : a.getElementValues();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> en : values.entrySet()) {
      if (en.getKey().getSimpleName().contentEquals(attribute)) {
        return en.getValue();
      }
    }
    return null;
  }

  private String stringValue(Element e, String annotation, String attribute) {
    AnnotationValue v = value(e, annotation, attribute, true);
    return v == null ? null : (String) v.getValue();
  }

  private String stringValueOrDefault(Element e, String annotation, String attribute, String dflt) {
    String v = stringValue(e, annotation, attribute);
    return v == null ? dflt : v;
  }

  private TypeMirror typeValue(Element e, String annotation, String attribute) {
    AnnotationValue v = value(e, annotation, attribute, true);
    return v == null ? null : (TypeMirror) v.getValue();
  }

  private <T> T error(Element e, String message) {
    failed = true;
    messager.printMessage(Diagnostic.Kind.ERROR, message, e);
    return null;
  }

  static String packageOf(Element e) {
    while (!(e instanceof PackageElement)) {
      e = e.getEnclosingElement();
    }
    return ((PackageElement) e).getQualifiedName().toString();
  }
}
