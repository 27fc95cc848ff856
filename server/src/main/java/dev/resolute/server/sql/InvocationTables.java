package dev.resolute.server.sql;

import static dev.resolute.server.sql.ColumnType.BOOL;
import static dev.resolute.server.sql.ColumnType.DURATION_MS;
import static dev.resolute.server.sql.ColumnType.LIST_U32;
import static dev.resolute.server.sql.ColumnType.TIMESTAMP_MS;
import static dev.resolute.server.sql.ColumnType.U32;
import static dev.resolute.server.sql.ColumnType.U64;
import static dev.resolute.server.sql.ColumnType.UTF8;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.Target;
import dev.resolute.server.schema.DeploymentSchema;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.storage.Keys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code sys_invocation} and the two tables it is a view of in restate-server, {@code
 * sys_invocation_status} (what the partition stores) and {@code sys_invocation_state} (what the
 * invoker holds of a running or backing-off invocation), all read from the partitions' status
 * table. A filter on {@code id} becomes point reads; on {@code partition_key} or {@code
 * target_service_key}, a prefix scan of the ids with that partition key (an object's or workflow's
 * invocations all carry the partition key of its key). A filter on {@code target_service_name}
 * and/or {@code target_service_key} is tested on each stored status's target before the status is
 * parsed or a row built ({@link TargetFilter}).
 */
final class InvocationTables {
  private InvocationTables() {}

  private static final List<Column> STATUS_HEAD =
      List.of(
          Column.of("partition_key", U64),
          Column.of("id", UTF8),
          Column.of("vqueue_id", UTF8),
          Column.of("status", UTF8),
          Column.of("completion_result", UTF8),
          Column.of("completion_failure", UTF8));

  /** The target columns, the same in sys_invocation_status and sys_invocation. */
  private static final List<Column> TARGET =
      List.of(
          Column.of("target", UTF8),
          Column.of("target_service_name", UTF8),
          Column.of("target_service_key", UTF8),
          Column.of("target_handler_name", UTF8),
          Column.of("target_service_ty", UTF8),
          Column.of("scope", UTF8),
          Column.of("limit_key", UTF8),
          Column.of("idempotency_key", UTF8));

  /** From restarted_from to the suspension: the same in both tables, after the invoked_by ones. */
  private static final List<Column> LIFECYCLE =
      List.of(
          Column.of("restarted_from", UTF8),
          Column.of("pinned_deployment_id", UTF8),
          Column.of("pinned_service_protocol_version", U32),
          Column.of("trace_id", UTF8),
          Column.of("journal_size", U32),
          Column.of("journal_commands_size", U32),
          Column.of("created_at", TIMESTAMP_MS),
          Column.of("created_using_restate_version", UTF8),
          Column.of("modified_at", TIMESTAMP_MS),
          Column.of("inboxed_at", TIMESTAMP_MS),
          Column.of("scheduled_at", TIMESTAMP_MS),
          Column.of("scheduled_start_at", TIMESTAMP_MS),
          Column.of("running_at", TIMESTAMP_MS),
          Column.of("completed_at", TIMESTAMP_MS),
          Column.of("completion_retention", DURATION_MS),
          Column.of("journal_retention", DURATION_MS),
          Column.of("suspended_waiting_for_completions", LIST_U32),
          Column.of("suspended_waiting_for_signals", LIST_U32),
          Column.of("suspended_waiting_future_json", UTF8));

  private static final List<Column> STATUS_BODY =
      concat(
          TARGET,
          List.of(
              Column.of("invoked_by", UTF8),
              Column.of("invoked_by_id", UTF8),
              Column.of("invoked_by_subscription_id", UTF8),
              Column.of("invoked_by_service_name", UTF8),
              Column.of("invoked_by_target", UTF8)),
          LIFECYCLE);

  private static final List<Column> STATE_COLUMNS =
      List.of(
          Column.of("partition_key", U64),
          Column.of("id", UTF8),
          Column.of("in_flight", BOOL),
          Column.of("retry_count", U64),
          Column.of("last_start_at", TIMESTAMP_MS),
          Column.of("last_attempt_deployment_id", UTF8),
          Column.of("last_attempt_server", UTF8),
          Column.of("next_retry_at", TIMESTAMP_MS),
          Column.of("last_failure", UTF8),
          Column.of("last_failure_error_code", UTF8),
          Column.of("last_failure_related_command_index", U64),
          Column.of("last_failure_related_command_name", UTF8),
          Column.of("last_failure_related_command_type", UTF8),
          Column.of("last_failure_related_entry_index", U64),
          Column.of("last_failure_related_entry_name", UTF8),
          Column.of("last_failure_related_entry_type", UTF8),
          Column.of("last_awaiting_on_future_json", UTF8));

  /** sys_invocation's columns: restate-server's view, in its order. */
  private static final List<Column> VIEW_COLUMNS =
      concat(
          List.of(Column.of("id", UTF8), Column.of("vqueue_id", UTF8)),
          TARGET,
          List.of(
              Column.of("invoked_by", UTF8),
              Column.of("invoked_by_service_name", UTF8),
              Column.of("invoked_by_id", UTF8),
              Column.of("invoked_by_subscription_id", UTF8),
              Column.of("invoked_by_target", UTF8)),
          LIFECYCLE,
          List.of(
              Column.of("retry_count", U64),
              Column.of("last_start_at", TIMESTAMP_MS),
              Column.of("next_retry_at", TIMESTAMP_MS),
              Column.of("last_attempt_deployment_id", UTF8),
              Column.of("last_attempt_server", UTF8),
              Column.of("last_failure", UTF8),
              Column.of("last_failure_error_code", UTF8),
              Column.of("last_failure_related_entry_index", U64),
              Column.of("last_failure_related_entry_name", UTF8),
              Column.of("last_failure_related_entry_type", UTF8),
              Column.of("last_failure_related_command_index", U64),
              Column.of("last_failure_related_command_name", UTF8),
              Column.of("last_failure_related_command_type", UTF8),
              Column.of("last_awaiting_on_future_json", UTF8),
              Column.of("status", UTF8),
              Column.of("completion_result", UTF8),
              Column.of("completion_failure", UTF8)));

  @SafeVarargs
  private static List<Column> concat(List<Column>... parts) {
    List<Column> out = new ArrayList<>();
    for (List<Column> p : parts) {
      out.addAll(p);
    }
    return List.copyOf(out);
  }

  enum Kind {
    VIEW,
    STATUS,
    STATE
  }

  static SysTable view() {
    return new Table("sys_invocation", VIEW_COLUMNS, Kind.VIEW);
  }

  static SysTable status() {
    return new Table("sys_invocation_status", concat(STATUS_HEAD, STATUS_BODY), Kind.STATUS);
  }

  static SysTable state() {
    return new Table("sys_invocation_state", STATE_COLUMNS, Kind.STATE);
  }

  /**
   * Visits the stored statuses a filter can match: one point read per {@code id} it names, else
   * every status of the partitions it leaves. A filter on {@code target_service_name} or {@code
   * target_service_key} is checked on each stored status before it is parsed (see {@link
   * TargetFilter}): the visitor sees only the invocations of those services and keys.
   */
  static void statuses(
      QueryContext cx, Pushdown filter, BiConsumer<InvocationId, InvocationStatus> visitor) {
    storedStatuses(cx, filter, (id, v) -> visitor.accept(id, parse(v)));
  }

  /** As {@link #statuses}, each status as stored (not parsed). */
  static void storedStatuses(
      QueryContext cx, Pushdown filter, BiConsumer<InvocationId, byte[]> visitor) {
    TargetFilter targets = TargetFilter.of(filter);
    Set<String> ids = filter.strings("id");
    if (ids != null) {
      for (String text : ids) {
        int p = cx.partitionOfId(text);
        if (p < 0) {
          continue;
        }
        InvocationId id = InvocationId.parse(text);
        byte[] v = cx.reader().get(Keys.of(p, Keys.STATUS).bytes(id.toBytes()).build());
        if (v != null && targets.test(v)) {
          visitor.accept(id, v);
        }
      }
      return;
    }
    Set<Long> partitionKeys = Scans.invocationPartitionKeys(filter, "target_service_key");
    if (partitionKeys != null) {
      for (long pk : partitionKeys) {
        int p = cx.partitioning.partitionOf(pk);
        scanStatuses(
            cx,
            Keys.of(p, Keys.STATUS).build(),
            Keys.of(p, Keys.STATUS).u64(pk).build(),
            targets,
            visitor);
      }
      return;
    }
    for (int p : Scans.partitions(cx, filter)) {
      byte[] prefix = Keys.of(p, Keys.STATUS).build();
      scanStatuses(cx, prefix, prefix, targets, visitor);
    }
  }

  /**
   * The statuses under {@code scanPrefix}, which starts with the status table's {@code prefix},
   * that {@code targets} lets through.
   */
  private static void scanStatuses(
      QueryContext cx,
      byte[] prefix,
      byte[] scanPrefix,
      TargetFilter targets,
      BiConsumer<InvocationId, byte[]> visitor) {
    cx.reader()
        .scan(
            scanPrefix,
            (k, v) -> {
              cx.check();
              if (targets.test(v)) {
                visitor.accept(InvocationId.fromBytes(Keys.after(k, prefix, 24)), v);
              }
              return true;
            });
  }

  /**
   * The pushed-down equalities on {@code target_service_name} and {@code target_service_key}
   * (either may be null: not restricted), tested on a stored status without parsing it: only its
   * target is read, its other fields (the input, headers, outcome, journal events) are skipped. No
   * index of invocations by service exists (a keyed service's ids carry its keys' partition keys,
   * an unkeyed one's a random bucket or its idempotency key's), so a filter on the service name
   * alone still reads every status of the partitions, but parses and builds rows only for the
   * service's own invocations.
   */
  record TargetFilter(Set<String> services, Set<String> keys) {
    static final TargetFilter ALL = new TargetFilter(null, null);

    static TargetFilter of(Pushdown filter) {
      Set<String> services = filter.strings("target_service_name");
      Set<String> keys = filter.strings("target_service_key");
      return services == null && keys == null ? ALL : new TargetFilter(services, keys);
    }

    /** Whether the stored status {@code v} can match: its target's service and key are allowed. */
    boolean test(byte[] v) {
      if (services == null && keys == null) {
        return true;
      }
      Target t = target(v);
      if (services != null && !services.contains(t.getService())) {
        return false;
      }
      // an unkeyed target's target_service_key is null: it matches no key
      return keys == null || t.getKeyed() && keys.contains(t.getKey());
    }
  }

  /**
   * The target of a stored {@link InvocationStatus}, read alone: every other field is skipped
   * (several occurrences of the target, which a writer never makes, merge as in a full parse).
   */
  static Target target(byte[] status) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(status);
      Target.Builder t = Target.newBuilder();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag >>> 3 == InvocationStatus.TARGET_FIELD_NUMBER
            && (tag & 7) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          in.readMessage(t, ExtensionRegistryLite.getEmptyRegistry());
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      return t.build();
    } catch (IOException e) {
      throw new IllegalStateException("unreadable invocation status", e);
    }
  }

  private static final class Table extends SysTable {
    private final Kind kind;

    Table(String name, List<Column> columns, Kind kind) {
      super(name, columns);
      this.kind = kind;
    }

    @Override
    void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
      if (phaseAlone(cx.wanted)) {
        // e.g. GROUP BY status: only the phase of each status is read, nothing is parsed
        storedStatuses(cx, filter, (id, v) -> emitPhase(cx, id, phase(v), rows));
        return;
      }
      statuses(cx, filter, (id, st) -> emit(cx, id, st, rows));
    }

    /** Whether the wanted columns are all among id, partition_key and status. */
    private boolean phaseAlone(boolean[] wanted) {
      if (wanted == null) {
        return false;
      }
      for (int i = 0; i < wanted.length; i++) {
        if (wanted[i] && !PHASE_ALONE.contains(columns.get(i).name())) {
          return false;
        }
      }
      return true;
    }

    private void emitPhase(
        QueryContext cx, InvocationId id, InvocationStatus.Phase phase, Consumer<Object[]> rows) {
      boolean live =
          phase == InvocationStatus.Phase.INVOKED || phase == InvocationStatus.Phase.BACKING_OFF;
      if (kind == Kind.STATE && !live) {
        return;
      }
      Row r = row(cx.wanted);
      r.set("partition_key", id.partitionKey());
      if (r.wants("id")) {
        r.set("id", id.toString());
      }
      r.set("status", kind == Kind.VIEW ? viewStatus(phase) : storedStatus(phase));
      rows.accept(r.values);
    }

    private void emit(
        QueryContext cx, InvocationId id, InvocationStatus st, Consumer<Object[]> rows) {
      InvocationStatus.Phase phase = st.getPhase();
      boolean live =
          phase == InvocationStatus.Phase.INVOKED || phase == InvocationStatus.Phase.BACKING_OFF;
      if (kind == Kind.STATE && !live) {
        return;
      }
      Row r = row(cx.wanted);
      fill(cx, id, st, r, kind);
      rows.accept(r.values);
    }
  }

  private static final Set<String> PHASE_ALONE = Set.of("id", "partition_key", "status");

  /** The phase of a stored {@link InvocationStatus}, read alone (the last occurrence wins). */
  static InvocationStatus.Phase phase(byte[] status) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(status);
      int phase = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag >>> 3 == InvocationStatus.PHASE_FIELD_NUMBER
            && (tag & 7) == WireFormat.WIRETYPE_VARINT) {
          phase = in.readEnum();
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      InvocationStatus.Phase p = InvocationStatus.Phase.forNumber(phase);
      return p == null ? InvocationStatus.Phase.UNRECOGNIZED : p;
    } catch (IOException e) {
      throw new IllegalStateException("unreadable invocation status", e);
    }
  }

  private static InvocationStatus parse(byte[] v) {
    try {
      return InvocationStatus.parseFrom(v);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable invocation status", e);
    }
  }

  /** The status strings of {@code sys_invocation} (restate-server's view) by stored phase. */
  static String viewStatus(InvocationStatus.Phase phase) {
    return switch (phase) {
      case SCHEDULED -> "scheduled";
      case INBOXED -> "pending";
      case INVOKED -> "running";
      case SUSPENDED -> "suspended";
      case BACKING_OFF -> "backing-off";
      case PAUSED -> "paused";
      case COMPLETED -> "completed";
      default -> "unknown";
    };
  }

  /** The status strings of {@code sys_invocation_status} (backing off is still invoked there). */
  static String storedStatus(InvocationStatus.Phase phase) {
    return switch (phase) {
      case SCHEDULED -> "scheduled";
      case INBOXED -> "inboxed";
      case INVOKED, BACKING_OFF -> "invoked";
      case SUSPENDED -> "suspended";
      case PAUSED -> "paused";
      case COMPLETED -> "completed";
      default -> "unknown";
    };
  }

  static String target(Target t) {
    return t.getKeyed()
        ? t.getService() + "/" + t.getKey() + "/" + t.getHandler()
        : t.getService() + "/" + t.getHandler();
  }

  private static void fill(
      QueryContext cx, InvocationId id, InvocationStatus st, SysTable.Row r, Kind kind) {
    InvocationStatus.Phase phase = st.getPhase();
    Target t = st.getTarget();
    ServiceSchema service = cx.registry.service(t.getService()).orElse(null);
    r.set("partition_key", id.partitionKey());
    if (r.wants("id")) {
      r.set("id", id.toString());
    }
    r.set("status", kind == Kind.VIEW ? viewStatus(phase) : storedStatus(phase));
    if (phase == InvocationStatus.Phase.COMPLETED && st.hasOutcome()) {
      if (st.getOutcome().hasFailure()) {
        r.set("completion_result", "failure");
        r.set(
            "completion_failure",
            "["
                + st.getOutcome().getFailure().getCode()
                + "] "
                + st.getOutcome().getFailure().getMessage());
      } else {
        r.set("completion_result", "success");
      }
    }
    if (r.wants("target")) {
      r.set("target", target(t));
    }
    r.set("target_service_name", t.getService());
    r.set("target_service_key", t.getKeyed() ? t.getKey() : null);
    r.set("target_handler_name", t.getHandler());
    r.set("target_service_ty", serviceType(t, service));
    if (!st.getScope().isEmpty()) {
      r.set("scope", st.getScope());
      r.set("limit_key", st.getLimitKey().isEmpty() ? null : st.getLimitKey());
    }
    if (!st.getIdempotencyKey().isEmpty()) {
      r.set("idempotency_key", st.getIdempotencyKey());
    } else if (r.wants("idempotency_key")
        && st.getInvokedById().isEmpty()
        && st.getInvokedBySubscriptionId().isEmpty()
        && st.getRestartedFrom().isEmpty()
        && !"workflow".equals(serviceType(t, service))) {
      // restate-server's ingress generates one for services and objects only, no workflow handler
      r.set("idempotency_key", RequestUlid.of(id, st.getCreatedAt()));
    }
    if (!st.getInvokedBySubscriptionId().isEmpty()) {
      r.set("invoked_by", "subscription");
      r.set("invoked_by_subscription_id", st.getInvokedBySubscriptionId());
    } else if (st.getInvokedById().isEmpty()) {
      r.set("invoked_by", "ingress");
    } else {
      r.set("invoked_by", "service");
      if (r.wants("invoked_by_id")) {
        r.set(
            "invoked_by_id", InvocationId.fromBytes(st.getInvokedById().toByteArray()).toString());
      }
      if (st.hasInvokedByTarget()) {
        r.set("invoked_by_service_name", st.getInvokedByTarget().getService());
        if (r.wants("invoked_by_target")) {
          r.set("invoked_by_target", target(st.getInvokedByTarget()));
        }
      }
    }
    if (!st.getRestartedFrom().isEmpty() && r.wants("restarted_from")) {
      r.set(
          "restarted_from", InvocationId.fromBytes(st.getRestartedFrom().toByteArray()).toString());
    }
    boolean started =
        phase != InvocationStatus.Phase.SCHEDULED && phase != InvocationStatus.Phase.INBOXED;
    // restate-server pins the deployment once it sent a command: an attempt that failed before
    // its first command leaves the invocation unpinned
    if (started && st.getCommands() > 1) {
      r.text("pinned_deployment_id", st.getDeploymentId());
      r.set(
          "pinned_service_protocol_version",
          st.getProtocolVersion() == 0 ? null : st.getProtocolVersion());
    }
    if (st.hasTrace() && r.wants("trace_id")) {
      r.set("trace_id", dev.resolute.server.tracing.TraceIds.traceId(st.getTrace()));
    }
    // restate-server has no journal (null sizes) for an invocation that has not started
    if (started) {
      r.set("journal_size", st.getJournalLength());
      r.set("journal_commands_size", st.getCommands());
    }
    r.time("created_at", st.getCreatedAt());
    r.set("created_using_restate_version", cx.version);
    r.time("modified_at", st.getModifiedAt());
    // restate-server keeps each transition time once recorded, whatever the status is now
    r.time("inboxed_at", st.getInboxedAt());
    if (st.getExecutionTimeMillis() > 0) {
      r.time("scheduled_at", st.getCreatedAt());
      r.time("scheduled_start_at", st.getExecutionTimeMillis());
    }
    if (started) {
      r.time("running_at", st.getRunningAt());
    }
    if (phase == InvocationStatus.Phase.COMPLETED) {
      r.time("completed_at", st.getCompletedAt());
    }
    r.set("completion_retention", st.getCompletionRetentionMillis());
    if (r.wants("journal_retention")) {
      r.set("journal_retention", journalRetention(service, t));
    }
    if (phase == InvocationStatus.Phase.SUSPENDED) {
      List<Integer> completions = new ArrayList<>(st.getWaiting().getCompletionsList());
      List<Integer> signals = new ArrayList<>(st.getWaiting().getSignalsList());
      completions.sort(null);
      signals.sort(null);
      r.set("suspended_waiting_for_completions", completions);
      r.set("suspended_waiting_for_signals", signals);
      r.set("suspended_waiting_future_json", waitingFutureJson(completions, signals));
    }
    boolean live =
        phase == InvocationStatus.Phase.INVOKED || phase == InvocationStatus.Phase.BACKING_OFF;
    if (live) {
      r.set("in_flight", phase == InvocationStatus.Phase.INVOKED);
      r.set("retry_count", (long) st.getTotalAttempts());
      r.time("last_start_at", st.getLastStartAt());
      r.text("last_attempt_deployment_id", st.getDeploymentId());
      if (r.wants("last_attempt_server")) {
        r.text("last_attempt_server", lastAttemptServer(cx, st.getDeploymentId()));
      }
      if (phase == InvocationStatus.Phase.BACKING_OFF) {
        r.time("next_retry_at", st.getNextRetryAt());
      }
      r.text("last_failure", st.getLastFailure());
      r.text("last_failure_error_code", st.getLastFailureErrorCode());
      if (!st.getLastFailure().isEmpty()) {
        relatedCommand(r, st);
      }
    }
  }

  /**
   * The command the last failure relates to, as restate-server 1.7.12 shows it for a protocol v4+
   * deployment: the {@code last_failure_related_command_*} columns (the name only when not empty,
   * the type through its journal v1 names, {@link EntryJson#legacyEntryType}); the {@code
   * last_failure_related_entry_*} columns are for protocol v1–v3 deployments and stay null.
   */
  private static void relatedCommand(SysTable.Row r, InvocationStatus st) {
    if (st.hasLastFailureRelatedCommandIndex()) {
      r.set("last_failure_related_command_index", (long) st.getLastFailureRelatedCommandIndex());
    }
    if (!st.getLastFailureRelatedCommandName().isEmpty()) {
      r.set("last_failure_related_command_name", st.getLastFailureRelatedCommandName());
    }
    if (st.getLastFailureRelatedCommandType() != 0) {
      r.text(
          "last_failure_related_command_type",
          EntryJson.legacyEntryType(st.getLastFailureRelatedCommandType()));
    }
  }

  private static String serviceType(Target t, ServiceSchema service) {
    if (service != null) {
      return switch (service.type()) {
        case SERVICE -> "service";
        case VIRTUAL_OBJECT -> "virtual_object";
        case WORKFLOW -> "workflow";
      };
    }
    if (t.getKind() == Target.Kind.WORKFLOW_RUN) {
      return "workflow";
    }
    return t.getKeyed() ? "virtual_object" : "service";
  }

  private static Long journalRetention(ServiceSchema service, Target t) {
    if (service == null) {
      return null;
    }
    HandlerSchema h = service.handler(t.getHandler());
    java.time.Duration d =
        h != null && h.journalRetention() != null
            ? h.journalRetention()
            : service.journalRetention();
    return d == null ? null : d.toMillis();
  }

  private static String lastAttemptServer(QueryContext cx, String deploymentId) {
    if (deploymentId.isEmpty()) {
      return null;
    }
    return cx.registry.deployment(deploymentId).map(DeploymentSchema::sdkVersion).orElse(null);
  }

  /**
   * The future a suspended invocation waits on, as restate-server 1.7.12 renders a protocol
   * suspension (which names only the awaited ids, not how they combine): {@code
   * {"Unknown":[{"Single":{"CompletionId":1}},{"Single":{"SignalIndex":1}}]}}, completions first,
   * each list ascending.
   */
  static String waitingFutureJson(List<Integer> completions, List<Integer> signals) {
    StringBuilder b = new StringBuilder("{\"Unknown\":[");
    String sep = "";
    for (int c : completions) {
      b.append(sep).append("{\"Single\":{\"CompletionId\":").append(c).append("}}");
      sep = ",";
    }
    for (int s : signals) {
      b.append(sep).append("{\"Single\":{\"SignalIndex\":").append(s).append("}}");
      sep = ",";
    }
    return b.append("]}").toString();
  }
}
