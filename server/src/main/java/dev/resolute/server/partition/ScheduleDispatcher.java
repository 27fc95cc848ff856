package dev.resolute.server.partition;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.pb.CreateSchedule;
import dev.resolute.server.pb.DeleteSchedule;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.Header;
import dev.resolute.server.pb.Schedule;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.Schemas;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.storage.Store;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Cron schedules as the admin API sees them: a creation or deletion is a record appended to the
 * partition of the schedule's id and answered from its apply ({@link Schedules}), so it is never
 * acknowledged before it is durable; reads come from a store snapshot.
 */
public final class ScheduleDispatcher {
  /** What a schedule id may be: it appears in URL paths and in idempotency keys. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~-]{0,127}");

  /** A schedule to create, as the admin API read it. */
  public record Spec(
      String id,
      String cron,
      String timezone,
      String service,
      String handler,
      String key,
      byte[] body,
      String contentType,
      CronSchedule.CatchUp catchUp) {}

  private final Appender appender;
  private final Partitioning partitioning;
  private final Replies replies;
  private final Schemas schemas;
  private final Supplier<Store.Reader> readers;

  public ScheduleDispatcher(
      Appender appender,
      Partitioning partitioning,
      Replies replies,
      Schemas schemas,
      Supplier<Store.Reader> readers) {
    this.appender = appender;
    this.partitioning = partitioning;
    this.replies = replies;
    this.schemas = schemas;
    this.readers = readers;
  }

  /** The partition a schedule lives on. */
  public int partitionOf(String id) {
    return partitioning.partitionOf(PartitionKeys.keyed(id));
  }

  /**
   * Creates a schedule; completes with it as stored (its first fire time set by the apply), or
   * fails with a {@link DispatchException}: 400 for a bad id, expression, zone or target, 409 for
   * an id in use.
   */
  public CompletableFuture<Schedule> create(Spec spec) {
    return createValidated(validate(spec));
  }

  /** Deletes a schedule; fails with a 404 {@link DispatchException} when there is none. */
  public CompletableFuture<Void> delete(String id) {
    CompletableFuture<Answer> f = new CompletableFuture<>();
    long request = replies.register(f);
    append(
        id,
        Envelope.newBuilder()
            .setDeleteSchedule(DeleteSchedule.newBuilder().setId(id).setIngressRequest(request))
            .build(),
        f);
    return f.thenApply(a -> null);
  }

  public Optional<Schedule> get(String id) {
    try (Store.Reader r = readers.get()) {
      return Optional.ofNullable(new Tables(partitionOf(id)).on(r).schedule(id));
    }
  }

  /** Every schedule of every partition, by id. */
  public List<Schedule> list() {
    List<Schedule> out = new ArrayList<>();
    try (Store.Reader r = readers.get()) {
      for (int p = 0; p < partitioning.count(); p++) {
        out.addAll(new Tables(p).on(r).schedules());
      }
    }
    out.sort(Comparator.comparing(Schedule::getId));
    return out;
  }

  /**
   * Makes the schedules whose id starts with one of {@code prefixes} exactly {@code desired}:
   * creates the missing ones, replaces (delete, then create) those whose definition changed,
   * deletes the others, and leaves an unchanged one alone, so applying the same declarations twice
   * changes nothing. Every spec is validated before anything is appended (a bad one fails the sync
   * with a 400 {@link DispatchException} and changes nothing). A replaced schedule keeps its
   * firings' idempotency keys ({@code schedule/<id>/<fire time>}), so a firing the old definition
   * already invoked is not invoked again within the target's retention.
   *
   * @return the ids created, replaced and deleted, in that order of kinds
   */
  public CompletableFuture<SyncResult> sync(Collection<String> prefixes, List<Spec> desired) {
    Map<String, Schedule> wanted = new LinkedHashMap<>();
    for (Spec spec : desired) {
      if (!prefixes.stream().anyMatch(p -> spec.id() != null && spec.id().startsWith(p))) {
        throw new IllegalArgumentException(spec.id() + " is outside the synced prefixes");
      }
      wanted.put(spec.id(), validate(spec));
    }
    List<String> created = new ArrayList<>();
    List<String> replaced = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
    for (Schedule have : list()) {
      if (prefixes.stream().noneMatch(p -> have.getId().startsWith(p))) {
        continue;
      }
      Schedule want = wanted.get(have.getId());
      if (want == null) {
        deleted.add(have.getId());
        chain = chain.thenCompose(x -> delete(have.getId()));
      } else if (sameDefinition(have, want)) {
        wanted.remove(have.getId());
      } else {
        replaced.add(have.getId());
        chain = chain.thenCompose(x -> delete(have.getId()));
      }
    }
    for (Schedule want : wanted.values()) {
      if (!replaced.contains(want.getId())) {
        created.add(want.getId());
      }
      chain = chain.thenCompose(x -> createValidated(want));
    }
    return chain.thenApply(x -> new SyncResult(created, replaced, deleted));
  }

  /** What {@link #sync} changed. */
  public record SyncResult(List<String> created, List<String> replaced, List<String> deleted) {}

  private static boolean sameDefinition(Schedule a, Schedule b) {
    return a.getCron().equals(b.getCron())
        && a.getTimezone().equals(b.getTimezone())
        && a.getTarget().equals(b.getTarget())
        && a.getBody().equals(b.getBody())
        && a.getHeadersList().equals(b.getHeadersList())
        && a.getCatchUp() == b.getCatchUp()
        && a.getCompletionRetentionMillis() == b.getCompletionRetentionMillis();
  }

  private CompletableFuture<Schedule> createValidated(Schedule s) {
    CompletableFuture<Answer> f = new CompletableFuture<>();
    long request = replies.register(f);
    append(
        s.getId(),
        Envelope.newBuilder()
            .setCreateSchedule(
                CreateSchedule.newBuilder().setSchedule(s).setIngressRequest(request))
            .build(),
        f);
    return f.thenApply(
        a ->
            get(s.getId())
                .orElseThrow(
                    () -> new DispatchException(500, "schedule '" + s.getId() + "' vanished")));
  }

  private Schedule validate(Spec spec) {
    if (spec.id() == null || !ID.matcher(spec.id()).matches()) {
      throw new DispatchException(
          400,
          "schedule id must be 1 to 128 characters of letters, digits, '.', '_', '~' or '-',"
              + " starting with a letter or digit; got "
              + spec.id());
    }
    CronSchedule cron;
    try {
      cron = CronSchedule.parse(spec.cron(), spec.timezone());
    } catch (IllegalArgumentException e) {
      throw new DispatchException(400, e.getMessage());
    }
    if (spec.service() == null || spec.service().isEmpty()) {
      throw new DispatchException(400, "target service is required");
    }
    if (spec.handler() == null || spec.handler().isEmpty()) {
      throw new DispatchException(400, "target handler is required");
    }
    ServiceSchema service =
        schemas
            .service(spec.service())
            .orElseThrow(
                () -> new DispatchException(400, "service '" + spec.service() + "' not found"));
    HandlerSchema handler = service.handler(spec.handler());
    if (handler == null) {
      throw new DispatchException(
          400, "handler '" + spec.service() + "/" + spec.handler() + "' not found");
    }
    boolean keyed = service.type().isKeyed();
    if (keyed && spec.key() == null) {
      throw new DispatchException(
          400, "service '" + spec.service() + "' is keyed: the target needs a key");
    }
    if (!keyed && spec.key() != null) {
      throw new DispatchException(
          400, "service '" + spec.service() + "' is not keyed: the target takes no key");
    }
    Schedule.Builder b =
        Schedule.newBuilder()
            .setId(spec.id())
            .setCron(cron.expression())
            .setTimezone(cron.zone().getId())
            .setTarget(Targets.of(service, handler, spec.key()))
            .setBody(ByteString.copyFrom(spec.body() == null ? new byte[0] : spec.body()))
            .setCatchUp(
                switch (spec.catchUp() == null ? CronSchedule.CatchUp.NONE : spec.catchUp()) {
                  case NONE -> Schedule.CatchUp.NONE;
                  case LAST -> Schedule.CatchUp.LAST;
                  case ALL -> Schedule.CatchUp.ALL;
                })
            .setCompletionRetentionMillis(Targets.retentionMillis(service, handler, true));
    if (spec.contentType() != null && !spec.contentType().isEmpty()) {
      b.addHeaders(Header.newBuilder().setKey("content-type").setValue(spec.contentType()));
    }
    return b.build();
  }

  private void append(String id, Envelope env, CompletableFuture<Answer> f) {
    appender
        .append(partitionOf(id), env)
        .whenComplete(
            (lsn, err) -> {
              if (err != null) {
                f.completeExceptionally(
                    new DispatchException(503, "cannot append to the log: " + err.getMessage()));
              }
            });
  }
}
