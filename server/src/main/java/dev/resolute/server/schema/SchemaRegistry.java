package dev.resolute.server.schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.PrefixedId;
import dev.resolute.protocol.id.Ulid;
import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.server.api.ErrorCode;
import dev.resolute.server.discovery.DiscoveredEndpoint;
import dev.resolute.server.pb.meta.ImportState;
import dev.resolute.server.pb.meta.MetadataRecord;
import dev.resolute.server.pb.meta.ModifyService;
import dev.resolute.server.pb.meta.RegisterDeployment;
import dev.resolute.server.pb.meta.RemoveDeployment;
import dev.resolute.server.pb.meta.UpdateDeployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 400 lines on purpose: the registration rules (new, changed or breaking services, force)
// are applied together, one record at a time; splitting them would split what one apply decides.

/**
 * The schema registry: registered deployments and the latest revision of every service.
 *
 * <p>Replicated metadata: every change is a record on the {@link MetadataLog}, applied in log order
 * by every node ({@link MetadataLog.Applier}); a write method appends its change and returns (or
 * throws) what applying it decided on this node. Whatever a change needs that is not deterministic
 * — a new deployment's id and creation time, what discovery found — is decided before the append
 * and travels in the record, so every node applies it alike. A dry run and an unforced registration
 * of a URI already registered store nothing and append nothing.
 *
 * <p>Reads are lock-free on an immutable {@link Snapshot}, published after each applied change,
 * after which listeners are called (on the applying thread). The applied state is cached in {@code
 * <dataDir>/schema-registry.json} with the LSN it reflects (written atomically: temp file, fsync,
 * rename, fsync dir); see {@link MetadataLog} for how the cache and the log fit together.
 */
public final class SchemaRegistry implements Schemas, MetadataLog.Applier {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistry.class);
  static final String FILE = "schema-registry.json";
  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The field of the cache file naming the LSN its state reflects (absent: a legacy file). */
  static final String LSN_FIELD = "lsn";

  /**
   * Server-wide defaults applied when neither handler nor service set an option.
   *
   * @param maxJournalRetention caps every handler's journal retention when its deployment is
   *     registered ({@code max-journal-retention}); null = no cap
   */
  public record Defaults(
      Duration idempotencyRetention,
      Duration journalRetention,
      Duration workflowCompletionRetention,
      Duration inactivityTimeout,
      Duration abortTimeout,
      RetryPolicy retryPolicy,
      Duration maxJournalRetention) {
    public Defaults(
        Duration idempotencyRetention,
        Duration journalRetention,
        Duration workflowCompletionRetention,
        Duration inactivityTimeout,
        Duration abortTimeout,
        RetryPolicy retryPolicy) {
      this(
          idempotencyRetention,
          journalRetention,
          workflowCompletionRetention,
          inactivityTimeout,
          abortTimeout,
          retryPolicy,
          null);
    }

    /** restate-server 1.7.12 defaults: 1d, 1d, 1d, 1m, 10m, {@link RetryPolicy#DEFAULT}. */
    public static final Defaults RESTATE =
        new Defaults(
            Duration.ofDays(1),
            Duration.ofDays(1),
            Duration.ofDays(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(10),
            RetryPolicy.DEFAULT);
  }

  /** A registered deployment with the manifest it was discovered with. */
  public record DeploymentEntry(DeploymentSchema deployment, EndpointManifest manifest) {}

  /** Latest revision pointer of a service. */
  public record ServiceRef(String deploymentId, int revision) {}

  /**
   * Persisted form.
   *
   * @param overrides the admin's changes per service name (absent in files written before they
   *     existed: read as none)
   */
  record Persisted(
      int version,
      List<DeploymentEntry> deployments,
      Map<String, ServiceRef> latest,
      Map<String, ServiceOverride> overrides) {}

  /**
   * An immutable view of the registry.
   *
   * @param deployments in registration order
   * @param services latest revision of each service, by name
   * @param overrides the admin's changes per service name (see {@link ServiceOverride})
   */
  public record Snapshot(
      Map<String, DeploymentEntry> deployments,
      Map<String, ServiceRef> latest,
      Map<String, ServiceSchema> services,
      Map<String, ServiceOverride> overrides) {}

  /**
   * Result of {@link #register}.
   *
   * @param created true when a new deployment was created (201), false when an existing one was
   *     returned unchanged or overwritten in place (200)
   */
  public record RegistrationResult(
      DeploymentSchema deployment, List<ServiceSchema> services, boolean created) {}

  private final Path file;
  private final Defaults defaults;
  private final Clock clock;
  private final MetadataLog metadata;
  private final SecureRandom random = new SecureRandom();
  private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
  private volatile Snapshot snapshot;

  /**
   * @param file the cache file, or null for none
   */
  private SchemaRegistry(Path file, Defaults defaults, Clock clock, MetadataLog metadata) {
    this.file = file;
    this.defaults = defaults;
    this.clock = clock;
    this.metadata = metadata;
    this.snapshot = buildSnapshot(Map.of(), Map.of(), Map.of());
    metadata.register(this);
  }

  /**
   * The registry of a node, kept on {@code metadata} (not started yet: the caller registers every
   * applier, then starts it) and cached in {@code <cacheDir>/schema-registry.json}.
   *
   * @param cacheDir null for no cache (every start replays the whole log)
   */
  public static SchemaRegistry replicated(
      MetadataLog metadata, Path cacheDir, Defaults defaults, Clock clock) {
    return new SchemaRegistry(
        cacheDir == null ? null : cacheDir.resolve(FILE), defaults, clock, metadata);
  }

  /**
   * Opens (or creates) a registry kept in {@code <dataDir>/schema-registry.json} alone, without a
   * metadata log (tests and tools; a node uses {@link #replicated}). A file from before the
   * metadata log is read as well.
   */
  public static SchemaRegistry open(Path dataDir, Defaults defaults, Clock clock)
      throws IOException {
    Files.createDirectories(dataDir);
    MetadataLog direct = MetadataLog.direct();
    SchemaRegistry r = new SchemaRegistry(dataDir.resolve(FILE), defaults, clock, direct);
    try {
      direct.start();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return r;
  }

  public static SchemaRegistry open(Path dataDir) throws IOException {
    return open(dataDir, Defaults.RESTATE, Clock.systemUTC());
  }

  /** A registry that is not persisted (tests). */
  public static SchemaRegistry inMemory(Defaults defaults, Clock clock) {
    MetadataLog direct = MetadataLog.direct();
    SchemaRegistry r = new SchemaRegistry(null, defaults, clock, direct);
    direct.start();
    return r;
  }

  public static SchemaRegistry inMemory() {
    return inMemory(Defaults.RESTATE, Clock.systemUTC());
  }

  public Defaults defaults() {
    return defaults;
  }

  /** Called after every change with the new snapshot. */
  public void addListener(Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  // ------------------------------------------------------------------ Schemas

  @Override
  public Optional<ServiceSchema> service(String name) {
    return Optional.ofNullable(snapshot.services().get(name));
  }

  @Override
  public Optional<DeploymentSchema> deployment(String id) {
    DeploymentEntry e = snapshot.deployments().get(id);
    return e == null ? Optional.empty() : Optional.of(e.deployment());
  }

  @Override
  public List<ServiceSchema> services() {
    List<ServiceSchema> out = new ArrayList<>(snapshot.services().values());
    out.sort(Comparator.comparing(ServiceSchema::name));
    return out;
  }

  @Override
  public List<DeploymentSchema> deployments() {
    return snapshot.deployments().values().stream().map(DeploymentEntry::deployment).toList();
  }

  // ------------------------------------------------------------------ queries

  public Optional<DeploymentEntry> deploymentEntry(String id) {
    return Optional.ofNullable(snapshot.deployments().get(id));
  }

  /** The deployment registered with this (normalized) URI, if any. */
  public Optional<DeploymentSchema> deploymentByUri(String uri) {
    return snapshot.deployments().values().stream()
        .map(DeploymentEntry::deployment)
        .filter(d -> d.uri().equals(uri))
        .findFirst();
  }

  /** The services of a deployment, at the revisions that deployment registered. */
  public List<ServiceSchema> deploymentServices(String id) {
    Snapshot cur = snapshot;
    DeploymentEntry e = cur.deployments().get(id);
    return e == null ? List.of() : servicesOf(e, cur.overrides());
  }

  /** The raw manifest entry a service schema was built from. */
  public Optional<EndpointManifest.Service> manifestService(String deploymentId, String name) {
    DeploymentEntry e = snapshot.deployments().get(deploymentId);
    if (e == null) {
      return Optional.empty();
    }
    EndpointManifest.Service found = null;
    for (EndpointManifest.Service s : e.manifest().services()) {
      if (s.name().equals(name)) {
        found = s; // last wins, as at registration
      }
    }
    return Optional.ofNullable(found);
  }

  private List<ServiceSchema> servicesOf(
      DeploymentEntry e, Map<String, ServiceOverride> overrides) {
    Map<String, EndpointManifest.Service> byName = dedupe(e.manifest());
    List<ServiceSchema> out = new ArrayList<>();
    for (DeploymentSchema.ServiceRevision sr : e.deployment().services()) {
      EndpointManifest.Service s = byName.get(sr.name());
      if (s != null) {
        out.add(
            ServiceBuilder.build(
                defaults, e.deployment(), s, sr.revision(), overrides.get(sr.name())));
      }
    }
    return out;
  }

  private static Map<String, EndpointManifest.Service> dedupe(EndpointManifest m) {
    Map<String, EndpointManifest.Service> byName = new LinkedHashMap<>();
    for (EndpointManifest.Service s : m.services()) {
      byName.remove(s.name());
      byName.put(s.name(), s);
    }
    return byName;
  }

  // ------------------------------------------------------------------ writes (proposals)

  /**
   * Registers a discovered endpoint. An existing deployment with the same URI is returned unchanged
   * unless {@code force}, which overwrites it in place (same id, revisions bumped). A service
   * changing type needs {@code force} or {@code breaking} (else 409 META0006). {@code dryRun}
   * validates and returns the would-be result without storing it.
   */
  public RegistrationResult register(
      DiscoveredEndpoint ep,
      Map<String, String> additionalHeaders,
      Map<String, String> metadata,
      boolean force,
      boolean breaking,
      boolean dryRun)
      throws SchemaException {
    if (dryRun) {
      synchronized (this) {
        return applyRegister(
            ep,
            additionalHeaders,
            metadata,
            force,
            breaking,
            PrefixedId.format("dp", Ulid.generate(clock.millis(), random)),
            clock.millis(),
            true);
      }
    }
    return MetadataLog.await(registerAsync(ep, additionalHeaders, metadata, force, breaking));
  }

  /**
   * {@link #register} (not a dry run) without waiting: completes once the registration was applied
   * on this node, with its result or a {@link SchemaException}.
   */
  public CompletableFuture<RegistrationResult> registerAsync(
      DiscoveredEndpoint ep,
      Map<String, String> additionalHeaders,
      Map<String, String> metadata,
      boolean force,
      boolean breaking) {
    Optional<DeploymentSchema> existing = deploymentByUri(ep.uri());
    if (existing.isPresent() && !force) {
      return CompletableFuture.completedFuture(
          new RegistrationResult(existing.get(), deploymentServices(existing.get().id()), false));
    }
    String newId = PrefixedId.format("dp", Ulid.generate(clock.millis(), random));
    long createdAt = clock.millis();
    return this.metadata
        .propose(
            MetadataRecord.newBuilder()
                .setRegisterDeployment(
                    RegisterDeployment.newBuilder()
                        .setEndpoint(MetadataRecords.endpoint(ep))
                        .addAllAdditionalHeaders(MetadataRecords.pairs(additionalHeaders))
                        .addAllMetadata(MetadataRecords.pairs(metadata))
                        .setForce(force)
                        .setBreaking(breaking)
                        .setNewId(newId)
                        .setCreatedAtMillis(createdAt)))
        .thenApply(RegistrationResult.class::cast);
  }

  /**
   * Admin {@code PATCH /deployments/{id}}: a new address, new additional headers, or both. With
   * {@code ep} (the endpoint discovered at the deployment's new or current address) and {@code
   * overwrite}, its services are replaced by what {@code ep} serves, as a forced registration under
   * the same id; without {@code overwrite} only the address, protocol and headers change and the
   * services stay as they are (restate-server 1.7.12 does the same). {@code dryRun} stores nothing.
   *
   * @param ep null when only the headers change
   * @param additionalHeaders null to keep the current ones
   * @throws SchemaException 404 for an unknown deployment
   */
  public RegistrationResult updateDeployment(
      String id,
      DiscoveredEndpoint ep,
      Map<String, String> additionalHeaders,
      boolean overwrite,
      boolean dryRun)
      throws SchemaException {
    if (dryRun) {
      synchronized (this) {
        return applyUpdate(id, ep, additionalHeaders, overwrite, true);
      }
    }
    UpdateDeployment.Builder u =
        UpdateDeployment.newBuilder()
            .setId(id)
            .setOverwrite(overwrite)
            .setSetHeaders(additionalHeaders != null)
            .addAllAdditionalHeaders(MetadataRecords.pairs(additionalHeaders));
    if (ep != null) {
      u.setEndpoint(MetadataRecords.endpoint(ep));
    }
    return (RegistrationResult)
        MetadataLog.await(metadata.propose(MetadataRecord.newBuilder().setUpdateDeployment(u)));
  }

  /**
   * Removes a deployment (admin force delete). Services it was latest for fall back to older
   * revisions.
   */
  public void removeDeployment(String id) throws SchemaException {
    MetadataLog.await(removeDeploymentAsync(id));
  }

  /** {@link #removeDeployment} without waiting. */
  public CompletableFuture<Object> removeDeploymentAsync(String id) {
    return metadata.propose(
        MetadataRecord.newBuilder().setRemoveDeployment(RemoveDeployment.newBuilder().setId(id)));
  }

  /**
   * Applies the admin's changes to a service ({@code PATCH /services/{name}}) on top of its earlier
   * ones, persisted with the registry; they hold until a new revision of the service is registered.
   *
   * @throws SchemaException 404 for an unknown service; 400 for a workflow completion retention on
   *     a service that is not a workflow (restate-server 1.7.12's answers)
   */
  public ServiceSchema modifyService(String name, ServiceOverride patch) throws SchemaException {
    return MetadataLog.await(modifyServiceAsync(name, patch));
  }

  /** {@link #modifyService} without waiting. */
  public CompletableFuture<ServiceSchema> modifyServiceAsync(String name, ServiceOverride patch) {
    ModifyService.Builder m = ModifyService.newBuilder().setName(name);
    if (patch.publicAccess() != null) {
      m.setPublicAccess(patch.publicAccess());
    }
    if (patch.idempotencyRetentionMillis() != null) {
      m.setIdempotencyRetentionMillis(patch.idempotencyRetentionMillis());
    }
    if (patch.workflowCompletionRetentionMillis() != null) {
      m.setWorkflowCompletionRetentionMillis(patch.workflowCompletionRetentionMillis());
    }
    if (patch.journalRetentionMillis() != null) {
      m.setJournalRetentionMillis(patch.journalRetentionMillis());
    }
    if (patch.inactivityTimeoutMillis() != null) {
      m.setInactivityTimeoutMillis(patch.inactivityTimeoutMillis());
    }
    if (patch.abortTimeoutMillis() != null) {
      m.setAbortTimeoutMillis(patch.abortTimeoutMillis());
    }
    return metadata
        .propose(MetadataRecord.newBuilder().setModifyService(m))
        .thenApply(ServiceSchema.class::cast);
  }

  // ------------------------------------------------------------------ apply

  @Override
  public boolean owns(MetadataRecord.ChangeCase change) {
    return switch (change) {
      case REGISTER_DEPLOYMENT,
          UPDATE_DEPLOYMENT,
          REMOVE_DEPLOYMENT,
          MODIFY_SERVICE,
          IMPORT_REGISTRY ->
          true;
      default -> false;
    };
  }

  @Override
  public synchronized Object apply(MetadataRecord record) throws SchemaException {
    switch (record.getChangeCase()) {
      case REGISTER_DEPLOYMENT -> {
        RegisterDeployment r = record.getRegisterDeployment();
        DiscoveredEndpoint ep = MetadataRecords.endpoint(r.getEndpoint());
        Optional<DeploymentSchema> existing = deploymentByUri(ep.uri());
        if (existing.isPresent() && !r.getForce()) {
          // registered meanwhile (by another node): as a registration of a known URI
          return new RegistrationResult(
              existing.get(), deploymentServices(existing.get().id()), false);
        }
        return applyRegister(
            ep,
            MetadataRecords.map(r.getAdditionalHeadersList()),
            MetadataRecords.map(r.getMetadataList()),
            r.getForce(),
            r.getBreaking(),
            r.getNewId(),
            r.getCreatedAtMillis(),
            false);
      }
      case UPDATE_DEPLOYMENT -> {
        UpdateDeployment u = record.getUpdateDeployment();
        return applyUpdate(
            u.getId(),
            u.hasEndpoint() ? MetadataRecords.endpoint(u.getEndpoint()) : null,
            u.getSetHeaders() ? MetadataRecords.map(u.getAdditionalHeadersList()) : null,
            u.getOverwrite(),
            false);
      }
      case REMOVE_DEPLOYMENT -> {
        applyRemove(record.getRemoveDeployment().getId());
        return Boolean.TRUE;
      }
      case MODIFY_SERVICE -> {
        ModifyService m = record.getModifyService();
        return applyModify(
            m.getName(),
            new ServiceOverride(
                0,
                m.hasPublicAccess() ? m.getPublicAccess() : null,
                m.hasIdempotencyRetentionMillis() ? m.getIdempotencyRetentionMillis() : null,
                m.hasWorkflowCompletionRetentionMillis()
                    ? m.getWorkflowCompletionRetentionMillis()
                    : null,
                m.hasJournalRetentionMillis() ? m.getJournalRetentionMillis() : null,
                m.hasInactivityTimeoutMillis() ? m.getInactivityTimeoutMillis() : null,
                m.hasAbortTimeoutMillis() ? m.getAbortTimeoutMillis() : null));
      }
      case IMPORT_REGISTRY -> {
        applyImport(record.getImportRegistry().getJson().toByteArray());
        return Boolean.TRUE;
      }
      default -> throw new SchemaException(500, null, "not a registry change: " + record);
    }
  }

  private RegistrationResult applyRegister(
      DiscoveredEndpoint ep,
      Map<String, String> additionalHeaders,
      Map<String, String> metadata,
      boolean force,
      boolean breaking,
      String newId,
      long createdAt,
      boolean dryRun)
      throws SchemaException {
    Optional<DeploymentSchema> existing = deploymentByUri(ep.uri());
    if (existing.isPresent() && !force) {
      return new RegistrationResult(existing.get(), deploymentServices(existing.get().id()), false);
    }
    return store(
        existing, ep, additionalHeaders, metadata, force, breaking, dryRun, newId, createdAt);
  }

  private RegistrationResult applyUpdate(
      String id,
      DiscoveredEndpoint ep,
      Map<String, String> additionalHeaders,
      boolean overwrite,
      boolean dryRun)
      throws SchemaException {
    Snapshot cur = snapshot;
    DeploymentEntry e = cur.deployments().get(id);
    if (e == null) {
      throw new SchemaException(404, null, "The requested deployment '" + id + "' does not exist");
    }
    DeploymentSchema d = e.deployment();
    Map<String, String> headers =
        additionalHeaders == null ? d.additionalHeaders() : lower(additionalHeaders);
    if (ep != null && overwrite) {
      return store(Optional.of(d), ep, headers, d.metadata(), true, true, dryRun, d.id(), 0);
    }
    DeploymentSchema updated =
        new DeploymentSchema(
            d.id(),
            ep == null ? d.uri() : ep.uri(),
            d.protocolMode(),
            ep == null ? d.http11() : ep.http11(),
            headers,
            d.metadata(),
            d.minProtocolVersion(),
            d.maxProtocolVersion(),
            d.sdkVersion(),
            d.createdAtMillis(),
            d.services());
    DeploymentEntry entry = new DeploymentEntry(updated, e.manifest());
    if (!dryRun) {
      Map<String, DeploymentEntry> deps = new LinkedHashMap<>(cur.deployments());
      deps.put(id, entry);
      commit(deps, new LinkedHashMap<>(cur.latest()), new LinkedHashMap<>(cur.overrides()));
    }
    return new RegistrationResult(updated, servicesOf(entry, cur.overrides()), false);
  }

  /**
   * @param newId the id of the deployment if this creates one
   * @param createdAt its creation time if this creates one
   */
  private RegistrationResult store(
      Optional<DeploymentSchema> existing,
      DiscoveredEndpoint ep,
      Map<String, String> additionalHeaders,
      Map<String, String> metadata,
      boolean force,
      boolean breaking,
      boolean dryRun,
      String newId,
      long createdAtIfNew)
      throws SchemaException {
    Snapshot cur = snapshot;
    Map<String, EndpointManifest.Service> services = dedupe(ep.manifest());
    for (EndpointManifest.Service s : services.values()) {
      validateService(s);
      ServiceRef ref = cur.latest().get(s.name());
      if (ref != null && !force && !breaking) {
        ServiceSchema prev = cur.services().get(s.name());
        ServiceType newType = ServiceBuilder.serviceType(s.ty());
        if (prev != null && prev.type() != newType) {
          throw new SchemaException(
              409,
              ErrorCode.META0006,
              ErrorCode.META0006.tag()
                  + " detected a new service revision for '"
                  + s.name()
                  + "' changing the service type from previous revision. Service type cannot be changed across revisions.");
        }
      }
    }
    String id = existing.map(DeploymentSchema::id).orElse(newId);
    Map<String, DeploymentEntry> deps = new LinkedHashMap<>(cur.deployments());
    Map<String, ServiceRef> latest = new LinkedHashMap<>(cur.latest());
    List<DeploymentSchema.ServiceRevision> revisions = new ArrayList<>();
    for (EndpointManifest.Service s : services.values()) {
      ServiceRef ref = latest.get(s.name());
      int rev = ref == null ? 1 : ref.revision() + 1;
      revisions.add(new DeploymentSchema.ServiceRevision(s.name(), rev));
    }
    long createdAt = existing.map(DeploymentSchema::createdAtMillis).orElse(createdAtIfNew);
    DeploymentSchema dep =
        new DeploymentSchema(
            id,
            ep.uri(),
            ep.manifest().protocolMode(),
            ep.http11(),
            additionalHeaders == null ? Map.of() : lower(additionalHeaders),
            metadata == null ? Map.of() : Map.copyOf(metadata),
            ep.manifest().minProtocolVersion(),
            ep.manifest().maxProtocolVersion(),
            ep.sdkVersion(),
            createdAt,
            List.copyOf(revisions));
    DeploymentEntry entry = new DeploymentEntry(dep, ep.manifest());
    List<ServiceSchema> built = servicesOf(entry, Map.of());
    if (dryRun) {
      return new RegistrationResult(dep, built, existing.isEmpty());
    }
    if (existing.isPresent()) {
      // services the overwritten deployment no longer serves fall back to other deployments
      latest
          .entrySet()
          .removeIf(
              e -> e.getValue().deploymentId().equals(id) && !services.containsKey(e.getKey()));
    }
    deps.put(id, entry);
    Map<String, ServiceOverride> overrides = new LinkedHashMap<>(cur.overrides());
    for (DeploymentSchema.ServiceRevision sr : revisions) {
      latest.put(sr.name(), new ServiceRef(id, sr.revision()));
      overrides.remove(sr.name()); // a new revision starts from its manifest again
    }
    commit(deps, latest, overrides);
    return new RegistrationResult(dep, built, existing.isEmpty());
  }

  private void applyRemove(String id) throws SchemaException {
    Snapshot cur = snapshot;
    if (!cur.deployments().containsKey(id)) {
      throw new SchemaException(
          404, null, "not found in the schema registry: deployment with id '" + id + "'");
    }
    Map<String, DeploymentEntry> deps = new LinkedHashMap<>(cur.deployments());
    deps.remove(id);
    Map<String, ServiceRef> latest = new LinkedHashMap<>(cur.latest());
    for (String name : new ArrayList<>(latest.keySet())) {
      if (!latest.get(name).deploymentId().equals(id)) {
        continue;
      }
      latest.remove(name);
      ServiceRef best = null;
      for (DeploymentEntry e : deps.values()) {
        for (DeploymentSchema.ServiceRevision sr : e.deployment().services()) {
          if (sr.name().equals(name) && (best == null || sr.revision() > best.revision())) {
            best = new ServiceRef(e.deployment().id(), sr.revision());
          }
        }
      }
      if (best != null) {
        latest.put(name, best);
      }
    }
    commit(deps, latest, new LinkedHashMap<>(cur.overrides()));
  }

  private ServiceSchema applyModify(String name, ServiceOverride patch) throws SchemaException {
    Snapshot cur = snapshot;
    ServiceSchema s = cur.services().get(name);
    if (s == null) {
      throw new SchemaException(404, null, "The requested service '" + name + "' does not exist");
    }
    if (patch.workflowCompletionRetentionMillis() != null && s.type() != ServiceType.WORKFLOW) {
      throw new SchemaException(
          400,
          null,
          "modifying retention time for service type " + s.type().adminName() + " is unsupported");
    }
    ServiceOverride prev = cur.overrides().get(name);
    if (prev == null || prev.revision() != s.revision()) {
      prev = ServiceOverride.none(s.revision());
    }
    Map<String, ServiceOverride> overrides = new LinkedHashMap<>(cur.overrides());
    overrides.put(name, prev.merge(patch));
    commit(new LinkedHashMap<>(cur.deployments()), new LinkedHashMap<>(cur.latest()), overrides);
    return snapshot.services().get(name);
  }

  /** A registry file from before the metadata log, taken only into an empty registry. */
  private void applyImport(byte[] json) throws SchemaException {
    Snapshot cur = snapshot;
    if (!cur.deployments().isEmpty() || !cur.latest().isEmpty()) {
      throw new SchemaException(
          409, null, "the schema registry is not empty: the registry file is not imported");
    }
    Persisted p;
    try {
      p = RegistryFile.read(JSON.readTree(json));
    } catch (IOException e) {
      throw new SchemaException(500, null, "the registry file cannot be read: " + e.getMessage());
    }
    Map<String, DeploymentEntry> deps = new LinkedHashMap<>();
    Map<String, ServiceRef> latest = new LinkedHashMap<>();
    Map<String, ServiceOverride> overrides = new LinkedHashMap<>();
    load(p, deps, latest, overrides);
    commit(deps, latest, overrides);
    LOG.info("imported {} deployments and {} services", deps.size(), latest.size());
  }

  private static void load(
      Persisted p,
      Map<String, DeploymentEntry> deps,
      Map<String, ServiceRef> latest,
      Map<String, ServiceOverride> overrides) {
    if (p.deployments() != null) {
      for (DeploymentEntry e : p.deployments()) {
        deps.put(e.deployment().id(), e);
      }
    }
    if (p.latest() != null) {
      latest.putAll(p.latest());
    }
    if (p.overrides() != null) {
      p.overrides()
          .forEach(
              (name, o) -> {
                if (o != null) {
                  overrides.put(name, o);
                }
              });
    }
  }

  // ------------------------------------------------------------------ cache

  @Override
  public MetadataLog.Cache loadCache() throws IOException {
    if (file == null || !Files.exists(file)) {
      return MetadataLog.Cache.ABSENT;
    }
    byte[] bytes = Files.readAllBytes(file);
    JsonNode root = JSON.readTree(bytes);
    JsonNode lsn = root == null ? null : root.get(LSN_FIELD);
    if (lsn == null || !lsn.canConvertToLong()) {
      return MetadataLog.Cache.legacy(bytes);
    }
    Map<String, DeploymentEntry> deps = new LinkedHashMap<>();
    Map<String, ServiceRef> latest = new LinkedHashMap<>();
    Map<String, ServiceOverride> overrides = new LinkedHashMap<>();
    load(RegistryFile.read(root), deps, latest, overrides);
    snapshot = buildSnapshot(deps, latest, overrides);
    LOG.info("loaded {} deployments and {} services from {}", deps.size(), latest.size(), file);
    return MetadataLog.Cache.at(lsn.asLong());
  }

  @Override
  public void reset() {
    snapshot = buildSnapshot(Map.of(), Map.of(), Map.of());
  }

  @Override
  public void saveCache(long lsn) throws IOException {
    if (file == null) {
      return;
    }
    Snapshot s = snapshot;
    ObjectNode root =
        JSON.valueToTree(
            new Persisted(1, List.copyOf(s.deployments().values()), s.latest(), s.overrides()));
    root.put(LSN_FIELD, lsn);
    persist(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  @Override
  public MetadataRecord.Builder importRecord(byte[] legacy) {
    return MetadataRecord.newBuilder()
        .setImportRegistry(ImportState.newBuilder().setJson(ByteString.copyFrom(legacy)));
  }

  private static Map<String, String> lower(Map<String, String> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return out;
  }

  /** Semantic checks the real server answers with 400. */
  static void validateService(EndpointManifest.Service s) throws SchemaException {
    String lower = s.name().toLowerCase(Locale.ROOT);
    if (lower.startsWith("restate") || lower.equals("openapi")) {
      throw new SchemaException(
          400,
          ErrorCode.META0005,
          ErrorCode.META0005.tag()
              + " cannot insert/modify service '"
              + s.name()
              + "' as it contains a reserved name");
    }
    ServiceType st = ServiceBuilder.serviceType(s.ty());
    int workflowHandlers = 0;
    for (EndpointManifest.Handler h : s.handlers()) {
      EndpointManifest.HandlerType ht = h.ty();
      boolean ok =
          switch (st) {
            case SERVICE -> ht == null || ht == EndpointManifest.HandlerType.SHARED;
            case VIRTUAL_OBJECT ->
                ht == null
                    || ht == EndpointManifest.HandlerType.EXCLUSIVE
                    || ht == EndpointManifest.HandlerType.SHARED;
            case WORKFLOW ->
                ht == null
                    || ht == EndpointManifest.HandlerType.SHARED
                    || ht == EndpointManifest.HandlerType.WORKFLOW;
          };
      if (!ok) {
        throw new SchemaException(
            400,
            null,
            "invalid combination of service type and handler type '("
                + st.adminName()
                + ", Some("
                + ServiceBuilder.handlerType(st, ht).adminName()
                + "))'");
      }
      if (ht == EndpointManifest.HandlerType.WORKFLOW) {
        workflowHandlers++;
        if (h.idempotencyRetention() != null) {
          throw new SchemaException(
              400, null, h.name() + " sets the idempotency_retention, but it's a WORKFLOW handler");
        }
      }
      if (Boolean.TRUE.equals(s.ingressPrivate()) && Boolean.FALSE.equals(h.ingressPrivate())) {
        throw new SchemaException(
            400,
            null,
            "The service "
                + s.name()
                + " is private, but the "
                + h.name()
                + " is explicitly set as public. This is not supported. Please make the service public, and hide the"
                + " individual handlers");
      }
    }
  }

  private void commit(
      Map<String, DeploymentEntry> deps,
      Map<String, ServiceRef> latest,
      Map<String, ServiceOverride> overrides) {
    // an override of a revision that is no longer the latest will never apply again
    overrides.entrySet().removeIf(e -> !isLatest(latest, e.getKey(), e.getValue().revision()));
    Snapshot s = buildSnapshot(deps, latest, overrides);
    snapshot = s;
    for (Consumer<Snapshot> l : listeners) {
      try {
        l.accept(s);
      } catch (RuntimeException e) {
        LOG.warn("schema listener failed", e);
      }
    }
  }

  private static boolean isLatest(Map<String, ServiceRef> latest, String name, int revision) {
    ServiceRef ref = latest.get(name);
    return ref != null && ref.revision() == revision;
  }

  private Snapshot buildSnapshot(
      Map<String, DeploymentEntry> deps,
      Map<String, ServiceRef> latest,
      Map<String, ServiceOverride> overrides) {
    Map<String, ServiceSchema> services = new LinkedHashMap<>();
    for (Map.Entry<String, ServiceRef> e : latest.entrySet()) {
      DeploymentEntry d = deps.get(e.getValue().deploymentId());
      if (d == null) {
        continue;
      }
      EndpointManifest.Service s = dedupe(d.manifest()).get(e.getKey());
      if (s != null) {
        services.put(
            e.getKey(),
            ServiceBuilder.build(
                defaults, d.deployment(), s, e.getValue().revision(), overrides.get(e.getKey())));
      }
    }
    return new Snapshot(
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(deps)),
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(latest)),
        java.util.Collections.unmodifiableMap(services),
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides)));
  }

  private void persist(byte[] bytes) throws IOException {
    Path dir = file.getParent();
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot fsync directory {}", dir, e);
    }
  }
}
