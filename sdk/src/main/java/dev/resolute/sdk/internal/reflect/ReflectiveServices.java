package dev.resolute.sdk.internal.reflect;

import dev.resolute.sdk.Context;
import dev.resolute.sdk.ObjectContext;
import dev.resolute.sdk.SharedObjectContext;
import dev.resolute.sdk.SharedWorkflowContext;
import dev.resolute.sdk.WorkflowContext;
import dev.resolute.sdk.annotation.Accept;
import dev.resolute.sdk.annotation.CustomSerdeFactory;
import dev.resolute.sdk.annotation.Exclusive;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Name;
import dev.resolute.sdk.annotation.Raw;
import dev.resolute.sdk.annotation.Service;
import dev.resolute.sdk.annotation.Shared;
import dev.resolute.sdk.annotation.VirtualObject;
import dev.resolute.sdk.annotation.Workflow;
import dev.resolute.sdk.endpoint.definition.HandlerDefinition;
import dev.resolute.sdk.endpoint.definition.HandlerType;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.endpoint.definition.ServiceType;
import dev.resolute.serde.Serde;
import dev.resolute.serde.SerdeFactory;
import dev.resolute.serde.jackson.JacksonSerdeFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link ServiceDefinition} from an instance of an annotated class, by reflection. */
public final class ReflectiveServices {
  private ReflectiveServices() {}

  public static ServiceDefinition definitionOf(Object instance) {
    Class<?> clazz = instance.getClass();
    Class<?> annotated = findAnnotated(clazz);
    if (annotated == null) {
      throw new IllegalArgumentException(
          clazz.getName() + " is not annotated with @Service, @VirtualObject or @Workflow");
    }
    ServiceType type =
        annotated.isAnnotationPresent(Service.class)
            ? ServiceType.SERVICE
            : annotated.isAnnotationPresent(VirtualObject.class)
                ? ServiceType.VIRTUAL_OBJECT
                : ServiceType.WORKFLOW;
    Name nameAnn = annotated.getAnnotation(Name.class);
    String name = nameAnn != null ? nameAnn.value() : annotated.getSimpleName();
    SerdeFactory serdes = serdeFactory(annotated);
    List<HandlerDefinition<?, ?>> handlers = new ArrayList<>();
    for (Method m : annotated.getMethods()) {
      boolean isExclusive = m.isAnnotationPresent(Exclusive.class);
      boolean isHandler = m.isAnnotationPresent(Handler.class) || isExclusive;
      boolean isShared = m.isAnnotationPresent(Shared.class);
      boolean isWorkflow = m.isAnnotationPresent(Workflow.class);
      if (!isHandler && !isShared && !isWorkflow) {
        continue;
      }
      if (isExclusive && (type != ServiceType.VIRTUAL_OBJECT || isShared)) {
        throw new IllegalArgumentException(
            "@Exclusive handler " + m + " is allowed only in a virtual object, not @Shared");
      }
      if (Modifier.isStatic(m.getModifiers())) {
        throw new IllegalArgumentException("handler " + m + " must not be static");
      }
      HandlerType ht =
          switch (type) {
            case SERVICE -> HandlerType.SHARED;
            case VIRTUAL_OBJECT -> isShared ? HandlerType.SHARED : HandlerType.EXCLUSIVE;
            case WORKFLOW -> isWorkflow ? HandlerType.WORKFLOW : HandlerType.SHARED;
          };
      handlers.add(handler(instance, m, type, ht, serdes));
    }
    if (handlers.isEmpty()) {
      throw new IllegalArgumentException(clazz.getName() + " has no handler methods");
    }
    return ServiceDefinition.of(name, type, handlers, serdes);
  }

  /** The class or interface carrying @Service/@VirtualObject/@Workflow for {@code c}, or null. */
  static Class<?> findAnnotated(Class<?> c) {
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      if (isService(k)) {
        return k;
      }
      for (Class<?> i : k.getInterfaces()) {
        if (isService(i)) {
          return i;
        }
      }
    }
    return null;
  }

  private static boolean isService(Class<?> k) {
    return k.isAnnotationPresent(Service.class)
        || k.isAnnotationPresent(VirtualObject.class)
        || k.isAnnotationPresent(Workflow.class);
  }

  private static SerdeFactory serdeFactory(Class<?> c) {
    CustomSerdeFactory ann = c.getAnnotation(CustomSerdeFactory.class);
    if (ann == null) {
      return JacksonSerdeFactory.DEFAULT;
    }
    try {
      return ann.value().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(
          "cannot instantiate serde factory " + ann.value().getName(), e);
    }
  }

  private static Class<?> contextFor(ServiceType st, HandlerType ht) {
    return switch (ht) {
      case WORKFLOW -> WorkflowContext.class;
      case EXCLUSIVE -> ObjectContext.class;
      case SHARED ->
          st == ServiceType.SERVICE
              ? Context.class
              : st == ServiceType.VIRTUAL_OBJECT
                  ? SharedObjectContext.class
                  : SharedWorkflowContext.class;
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static HandlerDefinition<?, ?> handler(
      Object instance, Method m, ServiceType st, HandlerType ht, SerdeFactory serdes) {
    Parameter[] params = m.getParameters();
    Class<?> ctxType = contextFor(st, ht);
    if (params.length == 0 || params.length > 2 || !params[0].getType().isAssignableFrom(ctxType)) {
      throw new IllegalArgumentException(
          "handler "
              + m
              + " must take a "
              + ctxType.getSimpleName()
              + " (or a supertype) as first parameter, and at most one input parameter");
    }
    Serde in;
    String accept = null;
    if (params.length == 2) {
      Raw raw = params[1].getAnnotation(Raw.class);
      in =
          raw != null
              ? rawSerde(raw.contentType())
              : serdes.create(params[1].getParameterizedType());
      Accept acc = params[1].getAnnotation(Accept.class);
      accept = acc != null ? acc.value() : null;
    } else {
      in = Serde.VOID;
    }
    Serde out;
    Raw rawOut = m.getAnnotation(Raw.class);
    if (m.getReturnType() == void.class || m.getReturnType() == Void.class) {
      out = Serde.VOID;
    } else if (rawOut != null) {
      out = rawSerde(rawOut.contentType());
    } else {
      out = serdes.create(m.getGenericReturnType());
    }
    Name nameAnn = m.getAnnotation(Name.class);
    String name = nameAnn != null ? nameAnn.value() : m.getName();
    m.setAccessible(true);
    boolean hasInput = params.length == 2;
    HandlerDefinition<?, ?> def =
        HandlerDefinition.of(
            name,
            ht,
            in,
            out,
            (ctx, input) -> {
              try {
                return hasInput ? m.invoke(instance, ctx, input) : m.invoke(instance, ctx);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
    return accept != null ? def.withAcceptContentType(accept) : def;
  }

  private static Serde<byte[]> rawSerde(String contentType) {
    return Serde.withContentType(contentType, Serde.RAW);
  }
}
