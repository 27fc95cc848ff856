package dev.resolute.server.partition;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.api.InvocationRequest;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.api.SubmitResult;
import dev.resolute.server.metrics.IngressMetrics;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.Failure;
import dev.resolute.server.pb.FailureMetadata;
import dev.resolute.server.pb.Header;
import dev.resolute.server.pb.IngressQuery;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.pb.Signal;
import dev.resolute.server.pb.StateEntry;
import dev.resolute.server.pb.StateMutation;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.Schemas;
import dev.resolute.server.schema.ServiceSchema;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The durable core as the ingress and admin see it: every request becomes a log record; the answer
 * comes from the apply of that record (so it is never given before the record is durable).
 */
public final class CoreDispatcher implements Dispatcher {
  private final Appender appender;
  private volatile IngressMetrics metrics = IngressMetrics.none();
  private final Partitioning partitioning;
  private final Replies replies;
  private final Schemas schemas;

  public CoreDispatcher(
      Appender appender, Partitioning partitioning, Replies replies, Schemas schemas) {
    this.appender = appender;
    this.partitioning = partitioning;
    this.replies = replies;
    this.schemas = schemas;
  }

  @Override
  public CompletableFuture<SubmitResult> submit(InvocationRequest request) {
    return invoke(request, false).thenApply(Answer::submitted);
  }

  @Override
  public CompletableFuture<InvocationResult> call(InvocationRequest request) {
    return invoke(request, true).thenApply(Answer::invoked);
  }

  private CompletableFuture<Answer> invoke(InvocationRequest r, boolean wantsResult) {
    ServiceSchema service =
        schemas
            .service(r.service())
            .orElseThrow(
                () -> new DispatchException(404, "service '" + r.service() + "' not found"));
    HandlerSchema handler =
        Optional.ofNullable(service.handler(r.handler()))
            .orElseThrow(
                () ->
                    new DispatchException(
                        404, "handler '" + r.service() + "/" + r.handler() + "' not found"));
    // an empty idempotency-key header is a key like any other (restate-server 1.7.12)
    boolean idempotent = r.idempotencyKey() != null;
    Invoke.Builder b =
        Invoke.newBuilder()
            .setInvocationId(ByteString.copyFrom(r.id().toBytes()))
            .setTarget(Targets.of(service, handler, r.key()))
            .setInput(ByteString.copyFrom(r.body()))
            .setIdempotencyKey(idempotent ? r.idempotencyKey() : "")
            .setExecutionTimeMillis(r.executionTimeMillis())
            .setCompletionRetentionMillis(Targets.retentionMillis(service, handler, idempotent))
            .setIngressWantsResult(wantsResult);
    for (Map.Entry<String, String> h : r.headers()) {
      b.addHeaders(Header.newBuilder().setKey(h.getKey()).setValue(h.getValue()));
    }
    if (r.trace() != null) {
      b.setTrace(r.trace());
    }
    if (r.scope() != null) {
      b.setScope(r.scope()).setLimitKey(r.limitKey() == null ? "" : r.limitKey());
    }
    CompletableFuture<Answer> f = new CompletableFuture<>();
    b.setIngressRequest(replies.register(f));
    append(r.id(), Envelope.newBuilder().setInvoke(b).build(), f);
    return f;
  }

  @Override
  public CompletableFuture<Void> completeAwakeable(AwakeableId id, Outcome result) {
    if (id.kind() != AwakeableId.Kind.SIGNAL) {
      // legacy (prom_1…) awakeables belong to protocol versions this server never runs: nothing
      // can be waiting on one; restate-server answers 202 for ids it does not know, so do we
      return CompletableFuture.completedFuture(null);
    }
    Signal.Builder s =
        Signal.newBuilder()
            .setInvocationId(ByteString.copyFrom(id.invocationId().toBytes()))
            .setIdx(id.index());
    if (result instanceof Outcome.Success ok) {
      s.setValue(ByteString.copyFrom(ok.value()));
    } else if (result instanceof Outcome.Failure fail) {
      Failure.Builder b = Failure.newBuilder().setCode(fail.code()).setMessage(fail.message());
      fail.metadata()
          .forEach((k, v) -> b.addMetadata(FailureMetadata.newBuilder().setKey(k).setValue(v)));
      s.setFailure(b);
    }
    CompletableFuture<Answer> f = new CompletableFuture<>();
    s.setIngressRequest(replies.register(f));
    append(id.invocationId(), Envelope.newBuilder().setSignal(s).build(), f);
    return f.thenAccept(Answer::done);
  }

  @Override
  public CompletableFuture<InvocationResult> attach(InvocationId id) {
    return query(id, IngressQuery.Kind.ATTACH).thenApply(Answer::invoked);
  }

  @Override
  public CompletableFuture<Optional<InvocationResult>> output(InvocationId id) {
    return query(id, IngressQuery.Kind.OUTPUT).thenApply(Answer::output);
  }

  @Override
  public CompletableFuture<Boolean> cancel(InvocationId id) {
    return query(id, IngressQuery.Kind.CANCEL).thenApply(Answer::cancelled);
  }

  @Override
  public CompletableFuture<Void> kill(InvocationId id) {
    return query(id, IngressQuery.Kind.KILL).thenAccept(Answer::done);
  }

  @Override
  public CompletableFuture<Integer> manage(InvocationId id, Management op) {
    IngressQuery.Kind kind =
        switch (op) {
          case RESUME -> IngressQuery.Kind.RESUME;
          case PAUSE -> IngressQuery.Kind.PAUSE;
          case PURGE -> IngressQuery.Kind.PURGE;
          case PURGE_JOURNAL -> IngressQuery.Kind.PURGE_JOURNAL;
        };
    return query(id, kind).thenApply(Answer::managed);
  }

  @Override
  public CompletableFuture<Integer> resume(
      InvocationId id, String deployment, boolean deploymentKnown) {
    IngressQuery.Builder q =
        IngressQuery.newBuilder()
            .setKind(IngressQuery.Kind.RESUME)
            .setDeployment(deployment == null ? "" : deployment)
            .setDeploymentUnknown(!deploymentKnown);
    return query(id, q).thenApply(Answer::managed);
  }

  @Override
  public CompletableFuture<Void> restartAsNew(InvocationId id, InvocationId newId) {
    IngressQuery.Builder q =
        IngressQuery.newBuilder()
            .setKind(IngressQuery.Kind.RESTART_AS_NEW)
            .setNewInvocationId(ByteString.copyFrom(newId.toBytes()));
    return query(id, q).thenAccept(Answer::managed);
  }

  @Override
  public CompletableFuture<Void> replaceState(
      String service, String key, Map<String, byte[]> state, String version) {
    StateMutation.Builder m = StateMutation.newBuilder().setService(service).setKey(key);
    state.forEach(
        (name, value) ->
            m.addEntries(
                StateEntry.newBuilder()
                    .setName(ByteString.copyFromUtf8(name))
                    .setValue(ByteString.copyFrom(value))));
    if (version != null) {
      m.setHasVersion(true).setVersion(version);
    }
    int partition = partitioning.partitionOf(PartitionKeys.keyed(key));
    return appender
        .append(partition, Envelope.newBuilder().setStateMutation(m).build())
        .handle(
            (lsn, err) -> {
              if (err != null) {
                throw new DispatchException(503, "cannot append to the log: " + err.getMessage());
              }
              return null;
            });
  }

  private CompletableFuture<Answer> query(InvocationId id, IngressQuery.Kind kind) {
    return query(id, IngressQuery.newBuilder().setKind(kind));
  }

  private CompletableFuture<Answer> query(InvocationId id, IngressQuery.Builder q) {
    CompletableFuture<Answer> f = new CompletableFuture<>();
    q.setInvocationId(ByteString.copyFrom(id.toBytes())).setIngressRequest(replies.register(f));
    append(id, Envelope.newBuilder().setIngressQuery(q).build(), f);
    return f;
  }

  /** Where appends for client requests are recorded; none until set. */
  public void metrics(IngressMetrics m) {
    this.metrics = m;
  }

  private void append(InvocationId id, Envelope env, CompletableFuture<Answer> f) {
    int partition = partitioning.partitionOf(id.partitionKey());
    appender
        .append(partition, env)
        .whenComplete(
            (lsn, err) -> {
              metrics.clientRequest(partition, err == null);
              if (err != null) {
                f.completeExceptionally(
                    new DispatchException(503, "cannot append to the log: " + err.getMessage()));
              }
            });
  }
}
