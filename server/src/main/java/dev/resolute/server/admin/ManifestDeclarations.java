package dev.resolute.server.admin;

import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.server.api.Failures;
import dev.resolute.server.discovery.DiscoveredEndpoint;
import dev.resolute.server.limits.DeclaredRates;
import dev.resolute.server.limits.Limits;
import dev.resolute.server.limits.Rule;
import dev.resolute.server.limits.RuleBook;
import dev.resolute.server.limits.RulePattern;
import dev.resolute.server.limits.RuleRecords;
import dev.resolute.server.partition.CronSchedule;
import dev.resolute.server.partition.RuleLog;
import dev.resolute.server.partition.ScheduleDispatcher;
import dev.resolute.server.schema.SchemaException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registration hook of Resolute's manifest extensions ({@link ManifestExtensions}, entries of
 * the manifest's metadata): makes the schedules and limit rules of the registered services exactly
 * what their latest manifest declares.
 *
 * <ul>
 *   <li><b>Schedules</b> ({@code x-resolute-schedules}): schedule {@code sdk~<service>~<handler>~
 *       <name>} per declaration, synced by {@link ScheduleDispatcher#sync} over the ids of the
 *       registered services: an unchanged declaration is left alone (re-registering never
 *       duplicates or resets a schedule), a changed one replaced, a dropped one deleted.
 *   <li><b>Rates</b> ({@code x-resolute-rate-limit}): rule {@code <service>} or {@code
 *       <service>/<handler>} with {@link DeclaredRates#DESCRIPTION_PREFIX}; a rule of the same
 *       pattern someone set by hand (another description) is left alone and wins. Applied through
 *       {@link RuleLog} like {@code PUT /limits/rules}, so every partition holds it.
 *   <li><b>Removal</b>: services left without a deployment lose their declared schedules and rules.
 * </ul>
 *
 * Everything is checked before the registry stores the deployment ({@link #check}), so a bad
 * declaration fails the registration (400) with nothing changed.
 */
public final class ManifestDeclarations implements DeploymentHook {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestDeclarations.class);

  /** Every declared schedule id starts with this, then the service name and {@code ~}. */
  public static final String SCHEDULE_PREFIX = "sdk~";

  private final ScheduleDispatcher schedules;
  private final RuleLog rules;
  private final Supplier<RuleBook> book;
  private final DeclaredRates declared;

  public ManifestDeclarations(
      ScheduleDispatcher schedules,
      RuleLog rules,
      Supplier<RuleBook> book,
      DeclaredRates declared) {
    this.schedules = schedules;
    this.rules = rules;
    this.book = book;
    this.declared = declared;
  }

  /** The schedule id of a declaration. */
  public static String scheduleId(String service, String handler, String name) {
    return SCHEDULE_PREFIX + service + "~" + handler + "~" + name;
  }

  @Override
  public void check(DiscoveredEndpoint ep) throws SchemaException {
    ManifestExtensions ext;
    try {
      ext = ManifestExtensions.of(ep.manifest());
    } catch (ManifestExtensions.InvalidException e) {
      throw bad(e.getMessage());
    }
    for (ManifestExtensions.Rate r : ext.rates()) {
      if (!RulePattern.isValue(r.service())
          || (r.handler() != null && !RulePattern.isValue(r.handler()))) {
        throw bad(
            "x-resolute-rate-limit of "
                + r.service()
                + (r.handler() == null ? "" : "/" + r.handler())
                + ": a rate needs service and handler names of 1 to 36 of [a-zA-Z0-9_.-]");
      }
      try {
        new Limits(null, r.perSecond(), r.burst());
      } catch (IllegalArgumentException e) {
        throw bad("x-resolute-rate-limit of " + r.service() + ": " + e.getMessage());
      }
    }
    for (ManifestExtensions.Schedule s : ext.schedules()) {
      String id = scheduleId(s.service(), s.handler(), s.name());
      if (id.length() > 128) {
        throw bad("x-resolute-schedules: the schedule id " + id + " is longer than 128");
      }
      try {
        CronSchedule.parse(s.cron(), s.timezone());
      } catch (IllegalArgumentException e) {
        throw bad(
            "x-resolute-schedules of " + s.service() + "/" + s.handler() + ": " + e.getMessage());
      }
      boolean keyed = keyed(ep.manifest(), s.service());
      if (keyed != (s.key() != null)) {
        throw bad(
            "x-resolute-schedules of "
                + s.service()
                + "/"
                + s.handler()
                + (keyed ? ": a keyed service needs a key" : ": a plain service takes no key"));
      }
    }
  }

  @Override
  public CompletableFuture<Void> registered(DiscoveredEndpoint ep) {
    List<String> services = ep.manifest().services().stream().map(s -> s.name()).toList();
    ManifestExtensions ext;
    try {
      ext = ManifestExtensions.of(ep.manifest());
    } catch (ManifestExtensions.InvalidException e) {
      return CompletableFuture.failedFuture(bad(e.getMessage()));
    }
    List<ScheduleDispatcher.Spec> specs = new ArrayList<>();
    for (ManifestExtensions.Schedule s : ext.schedules()) {
      byte[] body = s.body() == null ? null : s.body().getBytes(StandardCharsets.UTF_8);
      specs.add(
          new ScheduleDispatcher.Spec(
              scheduleId(s.service(), s.handler(), s.name()),
              s.cron(),
              s.timezone(),
              s.service(),
              s.handler(),
              s.key(),
              body,
              body == null ? null : "application/json",
              CronSchedule.CatchUp.valueOf(s.catchUp().toUpperCase(Locale.ROOT))));
    }
    return sync(services, specs, ext.rates());
  }

  @Override
  public CompletableFuture<Void> removed(Set<String> services) {
    if (services.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return sync(List.copyOf(services), List.of(), List.of());
  }

  /** Refreshes the implicit-scope index from the applied book (at start). */
  public void refresh() {
    declared.refresh(book.get());
  }

  private CompletableFuture<Void> sync(
      List<String> services,
      List<ScheduleDispatcher.Spec> specs,
      List<ManifestExtensions.Rate> rs) {
    List<String> prefixes = services.stream().map(s -> SCHEDULE_PREFIX + s + "~").toList();
    CompletableFuture<ScheduleDispatcher.SyncResult> sched;
    try {
      sched = schedules.sync(prefixes, specs);
    } catch (RuntimeException e) {
      sched = CompletableFuture.failedFuture(e);
    }
    return sched
        .thenCompose(
            r -> {
              if (!r.created().isEmpty() || !r.replaced().isEmpty() || !r.deleted().isEmpty()) {
                LOG.info(
                    "declared schedules of {}: created {}, replaced {}, deleted {}",
                    services,
                    r.created(),
                    r.replaced(),
                    r.deleted());
              }
              return syncRates(services, rs);
            })
        .exceptionallyCompose(
            err ->
                CompletableFuture.failedFuture(
                    new SchemaException(
                        400,
                        null,
                        "the deployment was registered, but its declarations were not applied: "
                            + Failures.unwrap(err).getMessage())));
  }

  private CompletableFuture<Void> syncRates(
      List<String> services, List<ManifestExtensions.Rate> rates) {
    RuleBook current = book.get();
    Map<String, ManifestExtensions.Rate> wanted = new TreeMap<>();
    for (ManifestExtensions.Rate r : rates) {
      wanted.put(DeclaredRates.pattern(r.service(), r.handler()).toString(), r);
    }
    List<RuleBook.Upsert> upserts = new ArrayList<>();
    for (Map.Entry<String, ManifestExtensions.Rate> e : wanted.entrySet()) {
      ManifestExtensions.Rate r = e.getValue();
      Limits limits = new Limits(null, r.perSecond(), r.burst());
      String description = DeclaredRates.DESCRIPTION_PREFIX + r.service();
      Rule have = current.get(e.getKey()).orElse(null);
      if (have != null && !DeclaredRates.isDeclared(have)) {
        LOG.warn("rule {} was set by hand: the rate declared by {} is not applied", e.getKey(), r);
        continue;
      }
      if (have != null
          && Objects.equals(have.limits(), limits)
          && !have.disabled()
          && description.equals(have.description())) {
        continue;
      }
      upserts.add(
          new RuleBook.Upsert(
              DeclaredRates.pattern(r.service(), r.handler()),
              limits,
              description,
              false,
              new RuleBook.Precondition.None()));
    }
    List<RuleBook.Delete> deletes = new ArrayList<>();
    for (Rule r : current.rules()) {
      String pattern = r.pattern().toString();
      if (DeclaredRates.isDeclared(r)
          && services.contains(r.pattern().components().get(0))
          && !wanted.containsKey(pattern)) {
        deletes.add(new RuleBook.Delete(r.pattern(), null));
      }
    }
    CompletableFuture<Void> f = CompletableFuture.completedFuture(null);
    if (!upserts.isEmpty()) {
      f = f.thenCompose(x -> rules.apply(RuleRecords.upserts(upserts, 0)));
    }
    if (!deletes.isEmpty()) {
      f = f.thenCompose(x -> rules.apply(RuleRecords.deletes(deletes, 0)));
    }
    return f.thenRun(
        () -> {
          declared.refresh(book.get());
          if (!upserts.isEmpty() || !deletes.isEmpty()) {
            LOG.info(
                "declared rates of {}: set {}, removed {}",
                services,
                upserts.stream().map(u -> u.pattern().toString()).toList(),
                deletes.stream().map(d -> d.pattern().toString()).toList());
          }
        });
  }

  private static boolean keyed(EndpointManifest m, String service) {
    return m.services().stream()
        .filter(s -> s.name().equals(service))
        .anyMatch(s -> s.ty() != EndpointManifest.ServiceType.SERVICE);
  }

  private static SchemaException bad(String message) {
    return new SchemaException(400, null, message);
  }
}
