package dev.resolute.server.admin;

import static dev.resolute.server.admin.AdminResponses.done;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.kafka.KafkaCluster;
import dev.resolute.server.kafka.KafkaMetadata;
import dev.resolute.server.kafka.Subscription;
import dev.resolute.server.schema.SchemaException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code /subscriptions[/{id}]} and {@code /kafka-clusters[/{name}]}, shaped like restate-server
 * 1.7.12: 201 with a {@code location} on creation, 202 on deletion, secrets redacted in every
 * answer, restate's messages for unknown or conflicting names.
 */
final class KafkaResource {
  private final KafkaMetadata metadata;
  private final Executor executor;

  /**
   * @param executor runs metadata writes (file I/O); not a Netty event loop
   */
  KafkaResource(KafkaMetadata metadata, Executor executor) {
    this.metadata = metadata;
    this.executor = executor;
  }

  void addTo(RouteTable routes) {
    routes
        .on("GET", "/subscriptions", c -> done(listSubscriptions(c)))
        .on("POST", "/subscriptions", c -> write(() -> createSubscription(c.request().body())))
        .on("GET", "/subscriptions/{id}", c -> done(getSubscription(c.param(0))))
        .on(
            "DELETE",
            "/subscriptions/{id}",
            c ->
                write(
                    () -> {
                      metadata.deleteSubscription(checkedId(c.param(0)));
                      return HttpResponse.of(202);
                    }))
        .on("GET", "/kafka-clusters", c -> done(listClusters()))
        .on("POST", "/kafka-clusters", c -> write(() -> createCluster(c.request().body())))
        .on(
            "GET",
            "/kafka-clusters/{name}",
            c ->
                done(
                    getCluster(
                        c.param(0),
                        "true".equals(c.request().query().get("include_subscriptions")))))
        .on(
            "PATCH",
            "/kafka-clusters/{name}",
            c -> write(() -> updateCluster(c.param(0), c.request().body())))
        .on(
            "DELETE",
            "/kafka-clusters/{name}",
            c ->
                write(
                    () -> {
                      metadata.deleteCluster(
                          c.param(0), "true".equals(c.request().query().get("force")));
                      return HttpResponse.of(202);
                    }));
  }

  @FunctionalInterface
  private interface Write {
    HttpResponse run() throws SchemaException, BadRequest;
  }

  /** A request refused before it reaches the metadata (restate's plain-text 400/422 bodies). */
  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;
    final transient HttpResponse response;

    BadRequest(HttpResponse response) {
      super(null, null, false, false);
      this.response = response;
    }
  }

  private CompletableFuture<HttpResponse> write(Write w) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return w.run();
          } catch (BadRequest e) {
            return e.response;
          } catch (SchemaException e) {
            return AdminResponses.schemaFailure(e);
          }
        },
        executor);
  }

  // ---- subscriptions ----

  private HttpResponse createSubscription(byte[] requestBody) throws SchemaException, BadRequest {
    JsonNode body = parse(requestBody);
    String source = requiredString(body, "source");
    String sink = requiredString(body, "sink");
    Map<String, String> options = stringMap(body.get("options"), "options");
    Subscription s = metadata.createSubscription(source, sink, options);
    return AdminResponses.json(201, view(s)).withHeader("location", "subscriptions/" + s.id());
  }

  private HttpResponse listSubscriptions(RouteTable.Call c) {
    String sink = c.request().query().get("sink");
    String source = c.request().query().get("source");
    ObjectNode o = AdminViews.JSON.createObjectNode();
    ArrayNode arr = o.putArray("subscriptions");
    for (Subscription s : metadata.subscriptions()) {
      if ((sink == null || sink.equals(s.sink()))
          && (source == null || source.equals(s.source()))) {
        arr.add(view(s));
      }
    }
    return AdminResponses.json(200, o);
  }

  private HttpResponse getSubscription(String id) {
    try {
      return metadata
          .subscription(checkedId(id))
          .map(s -> AdminResponses.json(200, view(s)))
          .orElseGet(
              () ->
                  AdminResponses.error(
                      404, "The requested subscription '" + id + "' does not exist"));
    } catch (BadRequest e) {
      return e.response;
    }
  }

  /** restate-server parses the path parameter as a subscription id before looking it up. */
  private static String checkedId(String id) throws BadRequest {
    String reason = null;
    if (!id.startsWith("sub_")) {
      reason = "bad prefix";
    } else if (id.length() < 5 || id.charAt(4) != '1') {
      reason = "unrecognized codec version";
    } else if (id.length() != 4 + 1 + 22) {
      reason = "bad length";
    }
    if (reason != null) {
      throw new BadRequest(
          HttpResponse.text(
              400, "Invalid URL: Cannot parse `subscription` with value `" + id + "`: " + reason));
    }
    return id;
  }

  static ObjectNode view(Subscription s) {
    ObjectNode o = AdminViews.JSON.createObjectNode();
    o.put("id", s.id());
    o.put("source", s.source());
    o.put("sink", s.sink());
    ObjectNode opts = o.putObject("options");
    redacted(s.options()).forEach(opts::put);
    return o;
  }

  // ---- clusters ----

  private HttpResponse createCluster(byte[] requestBody) throws SchemaException, BadRequest {
    JsonNode body = parse(requestBody);
    String name = requiredString(body, "name");
    if (!body.has("properties")) {
      throw missing("properties");
    }
    KafkaCluster c = metadata.createCluster(name, stringMap(body.get("properties"), "properties"));
    return AdminResponses.json(201, view(c, null)).withHeader("location", "kafka-clusters/" + name);
  }

  private HttpResponse updateCluster(String name, byte[] requestBody)
      throws SchemaException, BadRequest {
    JsonNode body = parse(requestBody);
    if (!body.has("properties")) {
      throw missing("properties");
    }
    KafkaCluster c = metadata.updateCluster(name, stringMap(body.get("properties"), "properties"));
    return AdminResponses.json(200, view(c, null));
  }

  private HttpResponse listClusters() {
    ObjectNode o = AdminViews.JSON.createObjectNode();
    ArrayNode arr = o.putArray("clusters");
    metadata.clusters().forEach(c -> arr.add(view(c, null)));
    return AdminResponses.json(200, o);
  }

  private HttpResponse getCluster(String name, boolean withSubscriptions) {
    return metadata
        .cluster(name)
        .map(
            c ->
                AdminResponses.json(
                    200,
                    view(
                        c,
                        withSubscriptions
                            ? metadata.subscriptions().stream()
                                .filter(s -> s.cluster().equals(name))
                                .toList()
                            : List.of())))
        .orElseGet(
            () ->
                AdminResponses.error(
                    404, "The requested Kafka cluster '" + name + "' does not exist"));
  }

  private ObjectNode view(KafkaCluster c, List<Subscription> subscriptions) {
    ObjectNode o = AdminViews.JSON.createObjectNode();
    o.put("name", c.name());
    ObjectNode props = o.putObject("properties");
    c.redactedProperties().forEach(props::put);
    o.put("created_at", c.createdAt());
    if (subscriptions != null) {
      ArrayNode arr = o.putArray("subscriptions");
      subscriptions.forEach(s -> arr.add(view(s)));
    }
    List<String> info = metadata.info(c.name());
    if (!info.isEmpty()) {
      ArrayNode arr = o.putArray("info");
      info.forEach(m -> arr.addObject().put("message", m));
    }
    return o;
  }

  /** Options in their stored order, secrets replaced. */
  private static Map<String, String> redacted(Map<String, String> m) {
    Map<String, String> secret = KafkaCluster.redactedCopy(m);
    Map<String, String> out = new LinkedHashMap<>();
    m.keySet().forEach(k -> out.put(k, secret.get(k)));
    return out;
  }

  // ---- request bodies, with restate-server's (serde's) messages ----

  private static JsonNode parse(byte[] body) throws BadRequest {
    try {
      JsonNode n = AdminViews.JSON.readTree(body);
      if (n == null || !n.isObject()) {
        throw new BadRequest(
            HttpResponse.text(
                422,
                "Failed to deserialize the JSON body into the target type: invalid type: expected"
                    + " a struct"));
      }
      return n;
    } catch (BadRequest e) {
      throw e;
    } catch (Exception e) {
      String m = String.valueOf(e.getMessage());
      int nl = m.indexOf('\n');
      throw new BadRequest(
          HttpResponse.text(
              400,
              "Failed to parse the request body as JSON: " + (nl < 0 ? m : m.substring(0, nl))));
    }
  }

  private static BadRequest missing(String field) {
    return new BadRequest(
        HttpResponse.text(
            422,
            "Failed to deserialize the JSON body into the target type: missing field `"
                + field
                + "`"));
  }

  private static String requiredString(JsonNode body, String field) throws BadRequest {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw missing(field);
    }
    if (!v.isTextual()) {
      throw new BadRequest(
          HttpResponse.text(
              422,
              "Failed to deserialize the JSON body into the target type: "
                  + field
                  + ": invalid type: expected a string"));
    }
    return v.asText();
  }

  /** A JSON object of strings; null or absent → null. */
  private static Map<String, String> stringMap(JsonNode v, String field) throws BadRequest {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new BadRequest(
          HttpResponse.text(
              422,
              "Failed to deserialize the JSON body into the target type: "
                  + field
                  + ": invalid type: expected a map"));
    }
    Map<String, String> m = new LinkedHashMap<>();
    var it = v.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!e.getValue().isTextual()) {
        throw new BadRequest(
            HttpResponse.text(
                422,
                "Failed to deserialize the JSON body into the target type: "
                    + field
                    + "."
                    + e.getKey()
                    + ": invalid type: expected a string"));
      }
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }
}
