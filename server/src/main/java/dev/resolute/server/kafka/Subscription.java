package dev.resolute.server.kafka;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A subscription: every record of {@code kafka://<cluster>/<topic>} becomes an invocation of {@code
 * service://<service>/<handler>}.
 *
 * @param id {@code sub_…}
 * @param options consumer options (librdkafka names) over the cluster's properties; {@code
 *     group.id} and {@code client.id} are filled in at creation as restate-server does
 */
public record Subscription(
    String id,
    String cluster,
    String topic,
    String service,
    String handler,
    Map<String, String> options) {
  public Subscription {
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  public String source() {
    return "kafka://" + cluster + "/" + topic;
  }

  public String sink() {
    return "service://" + service + "/" + handler;
  }

  public String groupId() {
    return options.get("group.id");
  }
}
