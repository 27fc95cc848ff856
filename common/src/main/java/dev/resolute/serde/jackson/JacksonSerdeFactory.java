package dev.resolute.serde.jackson;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.resolute.common.Slice;
import dev.resolute.serde.Serde;
import dev.resolute.serde.SerdeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * The default serde factory: JSON through Jackson. Subclass it (or pass a mapper) to customise the
 * {@link ObjectMapper}. {@code Void}/{@code void} map to {@link Serde#VOID}.
 */
public class JacksonSerdeFactory implements SerdeFactory {
  public static final JacksonSerdeFactory DEFAULT = new JacksonSerdeFactory();

  private final ObjectMapper mapper;

  public JacksonSerdeFactory() {
    this(
        JsonMapper.builder()
            .findAndAddModules()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build());
  }

  public JacksonSerdeFactory(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public ObjectMapper objectMapper() {
    return mapper;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Serde<T> create(Type type) {
    if (type == Void.class || type == void.class) {
      return (Serde<T>) Serde.VOID;
    }
    JavaType javaType = mapper.getTypeFactory().constructType(type);
    return new JsonSerde<>(mapper, javaType);
  }

  static final class JsonSerde<T> implements Serde<T> {
    private final JavaType javaType;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final Object schema;

    JsonSerde(ObjectMapper mapper, JavaType javaType) {
      this.javaType = javaType;
      this.reader = mapper.readerFor(javaType);
      this.writer = mapper.writerFor(javaType);
      Map<String, Object> s = JsonSchemas.of(mapper, javaType);
      this.schema = s.isEmpty() ? null : s; // no constraint: leave the manifest field out
    }

    @Override
    public Slice serialize(T value) {
      try {
        return Slice.wrap(writer.writeValueAsBytes(value));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot serialize a " + javaType + " to JSON: " + e.getMessage(), e);
      }
    }

    @Override
    public T deserialize(Slice value) {
      if (value.readableBytes() == 0) {
        return null;
      }
      try {
        return reader.readValue(value.unsafeArray());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot deserialize JSON as " + javaType + ": " + e.getMessage(), e);
      }
    }

    @Override
    public String contentType() {
      return "application/json";
    }

    @Override
    public Object jsonSchema() {
      return schema;
    }

    @Override
    public Type type() {
      return javaType;
    }
  }
}
