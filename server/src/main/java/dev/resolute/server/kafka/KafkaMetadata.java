package dev.resolute.server.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.PrefixedId;
import dev.resolute.protocol.id.Ulid;
import dev.resolute.server.api.ErrorCode;
import dev.resolute.server.pb.meta.CreateSubscription;
import dev.resolute.server.pb.meta.DeleteKafkaCluster;
import dev.resolute.server.pb.meta.DeleteSubscription;
import dev.resolute.server.pb.meta.ImportState;
import dev.resolute.server.pb.meta.KafkaClusterChange;
import dev.resolute.server.pb.meta.MetadataRecord;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.MetadataLog;
import dev.resolute.server.schema.MetadataRecords;
import dev.resolute.server.schema.SchemaException;
import dev.resolute.server.schema.Schemas;
import dev.resolute.server.schema.ServiceSchema;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

/**
 * The Kafka clusters and subscriptions: replicated metadata, every change a record on the {@link
 * MetadataLog} applied in log order by every node (see there); a write method appends its change
 * and returns (or throws) what applying it decided on this node. The applied state is cached in
 * {@code <data dir>/kafka.json} with the LSN it reflects (written whole to a temporary file,
 * fsynced, then moved into place, so a crash leaves the old or the new file, never a torn one).
 * Clusters declared in the configuration come first and cannot be changed through the admin API; an
 * admin-created cluster of the same name takes precedence, as in restate-server. Nodes must declare
 * the same clusters: apply consults them.
 *
 * <p>Validation is restate-server 1.7.12's: source {@code kafka://<cluster>/<topic>} of a known
 * cluster, sink {@code service://<service>/<handler>} of a registered handler (in the registry at
 * the record's position), {@code group.id} (subscription option, else cluster property, else the
 * subscription id) and {@code client.id} ({@code restate}) filled in; plus, unlike restate-server,
 * options the Java Kafka client cannot honour are refused by name ({@link ClientProperties}) and an
 * empty topic is refused.
 *
 * <p>Thread-safe: changes are applied one at a time on the log's delivering thread, and listeners
 * run there after the change was applied.
 */
public final class KafkaMetadata implements MetadataLog.Applier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final Path file;
  private final MetadataLog log;
  private final Schemas schemas;
  private final Clock clock;
  private final RandomGenerator random;
  private final Map<String, KafkaCluster> configured;
  private final Map<String, KafkaCluster> clusters = new LinkedHashMap<>();
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /**
   * Kept in {@code file} alone, without a metadata log (tests and tools; a node uses the other
   * constructor).
   *
   * @param file where the admin-created clusters and the subscriptions are kept
   * @param configured clusters from {@code [[ingress.kafka-clusters]]}
   */
  public KafkaMetadata(
      Path file,
      List<KafkaCluster> configured,
      Schemas schemas,
      Clock clock,
      RandomGenerator random) {
    this(MetadataLog.direct(), file, configured, schemas, clock, random);
    log.start();
  }

  /**
   * Kept on {@code log} (not started yet: the caller registers every applier, then starts it) and
   * cached in {@code file}.
   *
   * @param file the cache, or null for none
   * @param configured clusters from {@code [[ingress.kafka-clusters]]}
   */
  public KafkaMetadata(
      MetadataLog log,
      Path file,
      List<KafkaCluster> configured,
      Schemas schemas,
      Clock clock,
      RandomGenerator random) {
    this.log = log;
    this.file = file;
    this.schemas = schemas;
    this.clock = clock;
    this.random = random;
    this.configured = new LinkedHashMap<>();
    configured.forEach(c -> this.configured.put(c.name(), c));
    log.register(this);
  }

  /** Runs {@code r} after every change (on the changing thread). */
  public void onChange(Runnable r) {
    listeners.add(r);
  }

  // ---- clusters ----

  public synchronized List<KafkaCluster> clusters() {
    Map<String, KafkaCluster> all = new LinkedHashMap<>(clusters);
    configured.forEach(all::putIfAbsent);
    return List.copyOf(all.values());
  }

  public synchronized Optional<KafkaCluster> cluster(String name) {
    KafkaCluster c = clusters.get(name);
    return Optional.ofNullable(c != null ? c : configured.get(name));
  }

  public KafkaCluster createCluster(String name, Map<String, String> properties)
      throws SchemaException {
    return (KafkaCluster)
        MetadataLog.await(
            log.propose(
                MetadataRecord.newBuilder()
                    .setCreateKafkaCluster(
                        KafkaClusterChange.newBuilder()
                            .setName(name)
                            .addAllProperties(MetadataRecords.pairs(properties))
                            .setCreatedAt(CREATED_AT.format(clock.instant())))));
  }

  private KafkaCluster applyCreateCluster(
      String name, Map<String, String> properties, String createdAt) throws SchemaException {
    KafkaCluster c;
    synchronized (this) {
      requireBrokers(name, properties);
      ClientProperties.check(properties);
      if (clusters.containsKey(name)) {
        throw new SchemaException(
            409, null, "kafka cluster '" + name + "' already exists in schema registry");
      }
      if (configured.containsKey(name)) {
        throw new SchemaException(
            409,
            null,
            "kafka cluster '"
                + name
                + "' conflicts with static configuration. Cluster names in schema registry cannot"
                + " override statically configured clusters.");
      }
      c = new KafkaCluster(name, properties, createdAt, false);
      clusters.put(name, c);
    }
    return c;
  }

  /** restate-server's answer to an update or delete of a cluster from the configuration. */
  private static SchemaException staticCluster(String name) {
    return new SchemaException(
        409,
        null,
        "kafka cluster '"
            + name
            + "' cannot be updated, because it was defined in the restate configuration file."
            + " Update the configuration file directly, or remove the configuration file");
  }

  /**
   * The notes restate-server lists with a cluster ({@code info[].message}): a cluster from the
   * configuration is deprecated there; one created through the admin API whose name the
   * configuration also declares shadows it.
   */
  public synchronized List<String> info(String name) {
    boolean registry = clusters.containsKey(name);
    boolean config = configured.containsKey(name);
    if (registry && config) {
      return List.of(
          "A Kafka cluster with the same name exists in the static cluster configuration, please"
              + " remove it from the static configuration as it's deprecated.");
    }
    if (config) {
      return List.of(
          "This Kafka cluster was configured in the static cluster configuration, this is"
              + " deprecated. Please register it using the new Kafka Admin functionalities.");
    }
    return List.of();
  }

  public KafkaCluster updateCluster(String name, Map<String, String> properties)
      throws SchemaException {
    return (KafkaCluster)
        MetadataLog.await(
            log.propose(
                MetadataRecord.newBuilder()
                    .setUpdateKafkaCluster(
                        KafkaClusterChange.newBuilder()
                            .setName(name)
                            .addAllProperties(MetadataRecords.pairs(properties)))));
  }

  private KafkaCluster applyUpdateCluster(String name, Map<String, String> properties)
      throws SchemaException {
    KafkaCluster c;
    synchronized (this) {
      KafkaCluster old = clusters.get(name);
      if (old == null) {
        if (configured.containsKey(name)) {
          throw staticCluster(name);
        }
        throw clusterNotFound(name);
      }
      requireBrokers(name, properties);
      ClientProperties.check(properties);
      c = new KafkaCluster(name, properties, old.createdAt(), false);
      clusters.put(name, c);
    }
    return c;
  }

  /**
   * Deletes an admin-created cluster; with subscriptions on it only when {@code force} (they stay,
   * orphaned, and consume nothing until a cluster of that name exists again).
   */
  public void deleteCluster(String name, boolean force) throws SchemaException {
    MetadataLog.await(
        log.propose(
            MetadataRecord.newBuilder()
                .setDeleteKafkaCluster(
                    DeleteKafkaCluster.newBuilder().setName(name).setForce(force))));
  }

  private void applyDeleteCluster(String name, boolean force) throws SchemaException {
    synchronized (this) {
      if (!clusters.containsKey(name)) {
        if (configured.containsKey(name)) {
          throw staticCluster(name);
        }
        throw clusterNotFound(name);
      }
      if (!force && !configured.containsKey(name)) {
        for (Subscription s : subscriptions.values()) {
          if (s.cluster().equals(name)) {
            throw new SchemaException(
                409,
                null,
                "Removing the kafka cluster '"
                    + name
                    + "' leads to subscription '"
                    + s.id()
                    + "' being orphan. Remove the subscription first, or use the 'force' flag.");
          }
        }
      }
      clusters.remove(name);
    }
  }

  static SchemaException clusterNotFound(String name) {
    return new SchemaException(
        404, null, "The requested Kafka cluster '" + name + "' does not exist");
  }

  private static void requireBrokers(String name, Map<String, String> properties)
      throws SchemaException {
    if (!properties.containsKey("bootstrap.servers")
        && !properties.containsKey("metadata.broker.list")) {
      throw new SchemaException(
          400,
          null,
          "kafka cluster '"
              + name
              + "' properties must contain either 'bootstrap.servers' or 'metadata.broker.list'");
    }
  }

  // ---- subscriptions ----

  public synchronized List<Subscription> subscriptions() {
    return List.copyOf(subscriptions.values());
  }

  public synchronized Optional<Subscription> subscription(String id) {
    return Optional.ofNullable(subscriptions.get(id));
  }

  /**
   * Validates and stores a new subscription.
   *
   * @param options null when the request had none
   */
  public Subscription createSubscription(String source, String sink, Map<String, String> options)
      throws SchemaException {
    return MetadataLog.await(createSubscriptionAsync(source, sink, options));
  }

  /** {@link #createSubscription} without waiting. */
  public CompletableFuture<Subscription> createSubscriptionAsync(
      String source, String sink, Map<String, String> options) {
    CreateSubscription.Builder c =
        CreateSubscription.newBuilder()
            .setId(PrefixedId.format("sub", Ulid.generate(clock.millis(), random)))
            .setSource(source == null ? "" : source)
            .setSink(sink == null ? "" : sink)
            .setHasOptions(options != null)
            .addAllOptions(MetadataRecords.pairs(options));
    return log.propose(MetadataRecord.newBuilder().setCreateSubscription(c))
        .thenApply(Subscription.class::cast);
  }

  private Subscription applyCreateSubscription(
      String id, String source, String sink, Map<String, String> options) throws SchemaException {
    Subscription s;
    synchronized (this) {
      String[] src = parse(source, "kafka", "source");
      String[] snk = parse(sink, "service", "sink");
      ServiceSchema service = schemas.service(snk[0]).orElse(null);
      HandlerSchema handler = service == null ? null : service.handler(snk[1]);
      if (handler == null) {
        throw invalid(
            "invalid sink URI '"
                + sink
                + "': cannot find service/handler specified in the sink URI.");
      }
      KafkaCluster cluster = cluster(src[0]).orElse(null);
      if (cluster == null) {
        List<String> names = new ArrayList<>();
        clusters().forEach(c -> names.add("\"" + c.name() + "\""));
        throw new SchemaException(
            400,
            null,
            "Kafka cluster '"
                + src[0]
                + "' not found. Available clusters: ["
                + String.join(", ", names)
                + "]");
      }
      if (src[1].isEmpty()) {
        throw invalid("invalid source URI '" + source + "': the topic is missing.");
      }
      Map<String, String> opts = new LinkedHashMap<>(options == null ? Map.of() : options);
      ClientProperties.check(opts);
      String group = opts.get("group.id");
      if (group == null) {
        group = cluster.properties().getOrDefault("group.id", id);
      }
      opts.put("group.id", group);
      if (!opts.containsKey("client.id") && !cluster.properties().containsKey("client.id")) {
        opts.put("client.id", "restate");
      }
      s = new Subscription(id, src[0], src[1], snk[0], snk[1], opts);
      subscriptions.put(id, s);
    }
    return s;
  }

  public void deleteSubscription(String id) throws SchemaException {
    MetadataLog.await(
        log.propose(
            MetadataRecord.newBuilder()
                .setDeleteSubscription(DeleteSubscription.newBuilder().setId(id))));
  }

  private synchronized void applyDeleteSubscription(String id) throws SchemaException {
    if (subscriptions.remove(id) == null) {
      throw subscriptionNotFound(id);
    }
  }

  static SchemaException subscriptionNotFound(String id) {
    return new SchemaException(404, null, "The requested subscription '" + id + "' does not exist");
  }

  private static SchemaException invalid(String message) {
    return new SchemaException(400, ErrorCode.META0009, ErrorCode.META0009.tag() + " " + message);
  }

  /** {authority, path without its leading slash} of {@code scheme://authority/path}. */
  private static String[] parse(String uri, String scheme, String what) throws SchemaException {
    String prefix = scheme + "://";
    if (uri == null || !uri.startsWith(prefix)) {
      throw invalid(
          "invalid "
              + what
              + " URI '"
              + uri
              + "': must have a scheme segment, with supported schemes: ["
              + scheme
              + "].");
    }
    String rest = uri.substring(prefix.length());
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    if (authority.isEmpty()) {
      throw invalid("invalid " + what + " URI '" + uri + "': the authority is missing.");
    }
    return new String[] {authority, path};
  }

  // ---- apply ----

  @Override
  public boolean owns(MetadataRecord.ChangeCase change) {
    return switch (change) {
      case CREATE_KAFKA_CLUSTER,
          UPDATE_KAFKA_CLUSTER,
          DELETE_KAFKA_CLUSTER,
          CREATE_SUBSCRIPTION,
          DELETE_SUBSCRIPTION,
          IMPORT_KAFKA ->
          true;
      default -> false;
    };
  }

  @Override
  public Object apply(MetadataRecord record) throws SchemaException {
    switch (record.getChangeCase()) {
      case CREATE_KAFKA_CLUSTER -> {
        KafkaClusterChange c = record.getCreateKafkaCluster();
        return applyCreateCluster(
            c.getName(), MetadataRecords.map(c.getPropertiesList()), c.getCreatedAt());
      }
      case UPDATE_KAFKA_CLUSTER -> {
        KafkaClusterChange c = record.getUpdateKafkaCluster();
        return applyUpdateCluster(c.getName(), MetadataRecords.map(c.getPropertiesList()));
      }
      case DELETE_KAFKA_CLUSTER -> {
        applyDeleteCluster(
            record.getDeleteKafkaCluster().getName(), record.getDeleteKafkaCluster().getForce());
        return Boolean.TRUE;
      }
      case CREATE_SUBSCRIPTION -> {
        CreateSubscription c = record.getCreateSubscription();
        return applyCreateSubscription(
            c.getId(),
            c.getSource(),
            c.getSink(),
            c.getHasOptions() ? MetadataRecords.map(c.getOptionsList()) : null);
      }
      case DELETE_SUBSCRIPTION -> {
        applyDeleteSubscription(record.getDeleteSubscription().getId());
        return Boolean.TRUE;
      }
      case IMPORT_KAFKA -> {
        applyImport(record.getImportKafka().getJson().toByteArray());
        return Boolean.TRUE;
      }
      default -> throw new SchemaException(500, null, "not a Kafka change: " + record);
    }
  }

  @Override
  public void applied() {
    listeners.forEach(Runnable::run);
  }

  /** A Kafka file from before the metadata log, taken only into an empty state. */
  private synchronized void applyImport(byte[] json) throws SchemaException {
    if (!clusters.isEmpty() || !subscriptions.isEmpty()) {
      throw new SchemaException(
          409, null, "the Kafka metadata is not empty: the Kafka file is not imported");
    }
    try {
      read(JSON.readTree(json));
    } catch (IOException | RuntimeException e) {
      clusters.clear();
      subscriptions.clear();
      throw new SchemaException(500, null, "the Kafka file cannot be read: " + e);
    }
  }

  // ---- cache ----

  /** The field of the cache file naming the LSN its state reflects (absent: a legacy file). */
  private static final String LSN_FIELD = "lsn";

  @Override
  public synchronized MetadataLog.Cache loadCache() throws IOException {
    if (file == null || !Files.exists(file)) {
      return MetadataLog.Cache.ABSENT;
    }
    byte[] bytes = Files.readAllBytes(file);
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the Kafka subscriptions from " + file, e);
    }
    JsonNode lsn = root == null ? null : root.get(LSN_FIELD);
    if (lsn == null || !lsn.canConvertToLong()) {
      return MetadataLog.Cache.legacy(bytes);
    }
    try {
      read(root);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot read the Kafka subscriptions from " + file, e);
    }
    return MetadataLog.Cache.at(lsn.asLong());
  }

  @Override
  public synchronized void reset() {
    clusters.clear();
    subscriptions.clear();
  }

  @Override
  public MetadataRecord.Builder importRecord(byte[] legacy) {
    return MetadataRecord.newBuilder()
        .setImportKafka(ImportState.newBuilder().setJson(ByteString.copyFrom(legacy)));
  }

  private void read(JsonNode root) {
    for (JsonNode c : root.path("clusters")) {
      clusters.put(
          c.get("name").asText(),
          new KafkaCluster(
              c.get("name").asText(),
              strings(c.get("properties")),
              c.get("created_at").asText(),
              false));
    }
    for (JsonNode s : root.path("subscriptions")) {
      subscriptions.put(
          s.get("id").asText(),
          new Subscription(
              s.get("id").asText(),
              s.get("cluster").asText(),
              s.get("topic").asText(),
              s.get("service").asText(),
              s.get("handler").asText(),
              strings(s.get("options"))));
    }
  }

  private static Map<String, String> strings(JsonNode o) {
    Map<String, String> m = new TreeMap<>();
    if (o != null) {
      o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return m;
  }

  @Override
  public synchronized void saveCache(long lsn) throws IOException {
    if (file == null) {
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    root.put(LSN_FIELD, lsn);
    ArrayNode cs = root.putArray("clusters");
    for (KafkaCluster c : clusters.values()) {
      ObjectNode o = cs.addObject().put("name", c.name()).put("created_at", c.createdAt());
      c.properties().forEach(o.putObject("properties")::put);
      if (c.properties().isEmpty()) {
        o.putObject("properties");
      }
    }
    ArrayNode ss = root.putArray("subscriptions");
    for (Subscription s : subscriptions.values()) {
      ObjectNode o =
          ss.addObject()
              .put("id", s.id())
              .put("cluster", s.cluster())
              .put("topic", s.topic())
              .put("service", s.service())
              .put("handler", s.handler());
      ObjectNode opts = o.putObject("options");
      s.options().forEach(opts::put);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
