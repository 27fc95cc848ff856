package dev.resolute.serde.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  enum Status {
    NEW,
    DONE
  }

  record Item(String sku, int quantity, double price) {}

  record Cart(
      String id,
      List<Item> items,
      Map<String, Long> counters,
      Status status,
      Optional<String> note) {}

  static final class Node {
    public String name;
    public List<Node> children;
  }

  static String json(Type t) throws Exception {
    return MAPPER.writeValueAsString(JsonSchemas.of(MAPPER, MAPPER.constructType(t)));
  }

  @Test
  void scalars() throws Exception {
    assertThat(json(String.class)).isEqualTo("{\"type\":\"string\"}");
    assertThat(json(long.class)).isEqualTo("{\"type\":\"integer\"}");
    assertThat(json(Double.class)).isEqualTo("{\"type\":\"number\"}");
    assertThat(json(Boolean.class)).isEqualTo("{\"type\":\"boolean\"}");
  }

  @Test
  void recordsWithNestedCollectionsMapsEnumsAndOptionals() throws Exception {
    assertThat(json(Cart.class))
        .isEqualTo(
            "{\"type\":\"object\",\"properties\":{"
                + "\"id\":{\"type\":\"string\"},"
                + "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
                + "\"sku\":{\"type\":\"string\"},\"quantity\":{\"type\":\"integer\"},\"price\":{\"type\":\"number\"}}}},"
                + "\"counters\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}},"
                + "\"status\":{\"type\":\"string\",\"enum\":[\"NEW\",\"DONE\"]},"
                + "\"note\":{\"type\":\"string\"}}}");
  }

  @Test
  void recursionStopsWithAnOpenSchema() throws Exception {
    assertThat(json(Node.class))
        .isEqualTo(
            "{\"type\":\"object\",\"properties\":{"
                + "\"name\":{\"type\":\"string\"},\"children\":{\"type\":\"array\",\"items\":{}}}}");
  }

  @Test
  void serdeLeavesUnconstrainedTypesWithoutSchema() {
    assertThat(JacksonSerdeFactory.DEFAULT.create(Object.class).jsonSchema()).isNull();
    assertThat(JacksonSerdeFactory.DEFAULT.create(int[].class).jsonSchema())
        .isEqualTo(Map.of("type", "array", "items", Map.of("type", "integer")));
  }
}
