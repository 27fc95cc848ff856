package dev.resolute.serde.jackson;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * JSON Schemas (draft 2020-12 vocabulary) for the types handlers take and return, as they appear in
 * the discovery manifest's {@code input.jsonSchema} / {@code output.jsonSchema}. Derived from what
 * Jackson serializes: scalars, enums (string with {@code enum}), arrays and collections ({@code
 * items}), maps ({@code additionalProperties}), {@code Optional} (the inner type) and beans /
 * records ({@code properties}, in Jackson's property order). A type that refers to itself gets
 * {@code {}} at the point of recursion. Types Jackson treats specially without bean properties
 * (e.g. {@code JsonNode}, {@code Object}) get no constraint ({@code {}}).
 */
public final class JsonSchemas {
  private JsonSchemas() {}

  /** The schema for {@code type}; never null. */
  public static Map<String, Object> of(ObjectMapper mapper, JavaType type) {
    return schema(mapper, type, new HashSet<>());
  }

  private static Map<String, Object> schema(
      ObjectMapper mapper, JavaType t, Set<Class<?>> inProgress) {
    Class<?> c = t.getRawClass();
    Map<String, Object> s = new LinkedHashMap<>();
    String scalar = scalar(c);
    if (scalar != null) {
      s.put("type", scalar);
      if (c == UUID.class) {
        s.put("format", "uuid");
      } else if (c == Instant.class
          || c == OffsetDateTime.class
          || c == ZonedDateTime.class
          || c == LocalDateTime.class) {
        s.put("format", "date-time");
      } else if (c == LocalDate.class) {
        s.put("format", "date");
      }
      return s;
    }
    if (c.isEnum()) {
      List<String> values = new ArrayList<>();
      for (Object e : c.getEnumConstants()) {
        values.add(mapper.convertValue(e, String.class));
      }
      s.put("type", "string");
      s.put("enum", values);
      return s;
    }
    if (c == Optional.class) {
      return schema(mapper, t.containedTypeOrUnknown(0), inProgress);
    }
    if (t.isArrayType() || t.isCollectionLikeType()) {
      s.put("type", "array");
      s.put("items", schema(mapper, t.getContentType(), inProgress));
      return s;
    }
    if (t.isMapLikeType()) {
      s.put("type", "object");
      s.put("additionalProperties", schema(mapper, t.getContentType(), inProgress));
      return s;
    }
    if (c == Object.class
        || c.isInterface()
        || c.getName().startsWith("com.fasterxml.")
        || c.isPrimitive()
        || !inProgress.add(c)) {
      return s;
    }
    try {
      BeanDescription bean = mapper.getSerializationConfig().introspect(t);
      List<BeanPropertyDefinition> props = bean.findProperties();
      if (props.isEmpty()) {
        return s;
      }
      Map<String, Object> properties = new LinkedHashMap<>();
      for (BeanPropertyDefinition p : props) {
        if (p.couldSerialize()) {
          properties.put(p.getName(), schema(mapper, p.getPrimaryType(), inProgress));
        }
      }
      s.put("type", "object");
      s.put("properties", properties);
      return s;
    } finally {
      inProgress.remove(c);
    }
  }

  private static String scalar(Class<?> c) {
    if (c == String.class
        || c == char.class
        || c == Character.class
        || c == UUID.class
        || c == Instant.class
        || c == OffsetDateTime.class
        || c == ZonedDateTime.class
        || c == LocalDateTime.class
        || c == LocalDate.class
        || c == Duration.class) {
      return "string";
    }
    if (c == boolean.class || c == Boolean.class) {
      return "boolean";
    }
    if (c == int.class
        || c == Integer.class
        || c == long.class
        || c == Long.class
        || c == short.class
        || c == Short.class
        || c == byte.class
        || c == Byte.class
        || c == BigInteger.class) {
      return "integer";
    }
    if (c == double.class
        || c == Double.class
        || c == float.class
        || c == Float.class
        || c == BigDecimal.class) {
      return "number";
    }
    return null;
  }
}
