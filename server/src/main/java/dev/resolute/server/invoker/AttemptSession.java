package dev.resolute.server.invoker;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.Frame;
import dev.resolute.protocol.FrameCodec;
import dev.resolute.protocol.FrameDecoder;
import dev.resolute.protocol.MessageTooLargeException;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.ProtocolException;
import dev.resolute.protocol.ProtocolVersion;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.protocol.pb.ErrorMessage;
import dev.resolute.protocol.pb.ProposeRunCompletionMessage;
import dev.resolute.protocol.pb.SuspensionMessage;
import dev.resolute.server.api.ErrorCode;
import dev.resolute.server.metrics.InvokerMetrics.End;
import dev.resolute.server.partition.Effect;
import dev.resolute.server.partition.Outcomes;
import dev.resolute.server.pb.AttemptFailed;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Outcome;
import dev.resolute.server.pb.ProposeRun;
import dev.resolute.server.pb.Suspended;
import dev.resolute.server.pb.Target;
import dev.resolute.server.pb.TraceContext;
import dev.resolute.server.schema.DeploymentSchema;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.RetryPolicy;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.tracing.AttemptTrace;
import dev.resolute.server.tracing.InvocationMdc;
import dev.resolute.server.transport.Exchange;
import dev.resolute.server.transport.ExchangeListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 400 lines on purpose: its pure parts are separate classes with unit tests
// (InvocationRequest, CommandValidator, Deadline, RetryDecision); what remains is one stream's
// mutable state under one lock, which reads best in one place.

/**
 * One attempt of one invocation: one HTTP exchange with the deployment. Writes Start and the
 * journal replay, forwards new notifications while the request is open (bidi), turns every message
 * from the deployment into a log record, and enforces the inactivity and abort timeouts. All
 * mutable state is guarded by {@code this}.
 */
final class AttemptSession implements ExchangeListener {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptSession.class);

  /**
   * Longest time a held command (see {@link #holdable}) waits for the next message of the attempt
   * before it is appended on its own.
   */
  static final long HOLD_MAX_MILLIS = 50;

  private final Invoker invoker;
  private final int partition;
  private final InvocationId id;
  private final InvocationStatus status;
  private final Effect.StartAttempt plan;
  private final FrameDecoder decoder;
  private Exchange exchange;
  private String deploymentId = "";
  private int protocolVersion;
  private HandlerSchema handler;
  private boolean bidi;
  private boolean requestClosed;
  private boolean done;
  private boolean responseOk;

  /** The scheduled check of {@link #deadline}, or null. */
  private ScheduledFuture<?> timeout;

  private final Deadline deadline;
  private long startNanos; // for the attempt's duration (0 when not recorded)

  /** Holds one of the invoker's in-flight slots; guarded by the invoker's slot lock. */
  boolean slot;

  /** Commands held back to be appended together with the next message (one commit for all). */
  private final List<Envelope> held = new ArrayList<>();

  private ScheduledFuture<?> holdTimer;
  private Duration inactivity;
  private Duration abort;

  /** The attempt's spans ({@link AttemptTrace#NONE} when the invocation has no trace). */
  private AttemptTrace trace = AttemptTrace.NONE;

  /**
   * Index of the next command the deployment sends (its position among the journal's commands),
   * recorded with each command ({@code Envelope.command_index}): apply journals a command only at
   * the index its attempt counted, so an attempt started on an older journal cannot add a command
   * the journal already holds a second time.
   */
  private int nextCommandIndex;

  AttemptSession(Invoker invoker, int partition, Effect.StartAttempt plan) {
    this.invoker = invoker;
    this.partition = partition;
    this.plan = plan;
    this.id = plan.id();
    this.status = plan.status();
    // restate-server fails a message once its size reaches the limit plus 256 KiB of allowance
    this.decoder = new FrameDecoder(effectiveMessageLimit(invoker.options()) - 1);
    this.deadline = new Deadline(invoker.nanoTime());
  }

  int partition() {
    return partition;
  }

  InvocationId id() {
    return id;
  }

  int attempt() {
    return status.getAttempt();
  }

  synchronized void start() {
    if (done) {
      return; // cancelled while it waited for a slot
    }
    startNanos = invoker.metrics().started(partition);
    nextCommandIndex = status.getCommands();
    InvocationMdc.put(id, status.getTarget());
    try {
      Target target = status.getTarget();
      ServiceSchema service = invoker.schemas().service(target.getService()).orElse(null);
      String depId =
          status.getDeploymentId().isEmpty()
              ? (service == null ? null : service.deploymentId())
              : status.getDeploymentId();
      DeploymentSchema dep =
          depId == null ? null : invoker.schemas().deployment(depId).orElse(null);
      if (service == null || dep == null) {
        fail(
            AttemptFailed.newBuilder()
                .setCode(500)
                .setRestateCode(ErrorCode.RT0011.code())
                .setMessage("no deployment found for service " + target.getService())
                .build(),
            null);
        return;
      }
      handler = service.handler(target.getHandler());
      deploymentId = dep.id();
      protocolVersion = InvocationRequest.protocolVersion(status, dep);
      if (protocolVersion == 0) {
        fail(
            AttemptFailed.newBuilder()
                .setCode(500)
                .setRestateCode(ErrorCode.RT0013.code())
                .setMessage(
                    "deployment " + dep.id() + " supports no protocol version this server speaks")
                .build(),
            null);
        return;
      }
      InvokerOptions o = invoker.options();
      inactivity =
          handler != null && handler.inactivityTimeout() != null
              ? handler.inactivityTimeout()
              : o.inactivityTimeout();
      abort =
          handler != null && handler.abortTimeout() != null
              ? handler.abortTimeout()
              : o.abortTimeout();
      // a zero inactivity timeout is always-suspending mode: the request closes after the replay
      bidi =
          dep.protocolMode() == EndpointManifest.ProtocolMode.BIDI_STREAM && !inactivity.isZero();

      List<Map.Entry<String, String>> headers =
          InvocationRequest.headers(
              protocolVersion, id, target, o.clusterName(), dep.additionalHeaders());
      URI invokeUri = invoker.invokeUri(dep.uri(), target.getService(), target.getHandler());
      if (o.signer() != null) {
        headers.addAll(
            o.signer().headers(invokeUri.getRawPath(), target.getKeyed() ? target.getKey() : null));
      }
      if (status.hasTrace()) {
        trace = invoker.tracing().attempt(id, status, dep.id(), dep.uri(), protocolVersion);
        String traceparent = trace.traceparent();
        if (traceparent != null) {
          headers.add(Map.entry("traceparent", traceparent));
          String tracestate = trace.tracestate();
          if (tracestate != null) {
            headers.add(Map.entry("tracestate", tracestate));
          }
        }
      }

      exchange = invoker.client().open(invokeUri, "POST", headers, dep.http11(), this);
      exchange.write(
          InvocationRequest.startAndReplay(
              plan, handler != null && handler.enableLazyState(), invoker.appender().now()));
      if (!bidi) {
        exchange.end();
        requestClosed = true;
        armTimeout(abort);
      } else {
        armTimeout(inactivity);
      }
    } catch (RuntimeException e) {
      fail(transientFailure("cannot start attempt: " + e.getMessage()), e);
    } finally {
      InvocationMdc.clear();
    }
  }

  /** A notification stored while this attempt is live. */
  synchronized void forward(JournalEntry e) {
    if (done || !bidi || requestClosed || exchange == null) {
      return; // request/response: the deployment suspends and a new attempt replays it
    }
    exchange.write(FrameCodec.encode(new Frame(e.getType(), 0, e.getPayload().toByteArray())));
    armTimeout(inactivity);
  }

  synchronized void cancel() {
    if (!done) {
      trace.end("aborted", null);
    }
    done = true;
    cancelTimeout();
    dropHeld(); // the attempt is fenced: its later records would be ignored by apply
    if (exchange != null) {
      exchange.cancel();
    }
  }

  // ---------------------------------------------------------------- response side

  @Override
  public synchronized void onResponseHeaders(
      int statusCode, List<Map.Entry<String, String>> headers) {
    if (done) {
      return;
    }
    invoker.metrics().response(bidi, statusCode);
    if (statusCode != 200) {
      String restateCode = statusCode == 415 ? ErrorCode.RT0015.code() : ErrorCode.RT0006.code();
      String msg =
          switch (statusCode) {
            case 415 -> "bad negotiated service protocol version (415)";
            case 413 -> "payload too large (413)";
            case 429, 503 -> "deployment is rate limiting or unavailable (" + statusCode + ")";
            default -> "unexpected response status " + statusCode + " from the deployment";
          };
      fail(
          AttemptFailed.newBuilder()
              .setCode(500)
              .setRestateCode(restateCode)
              .setMessage(msg)
              .setNextRetryDelayMillis(retryAfter(headers))
              .build(),
          null);
      return;
    }
    String ct = null;
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase("content-type")) {
        ct = h.getValue();
      }
    }
    if (ProtocolVersion.parseInvocationContentType(ct) != protocolVersion) {
      fail(
          AttemptFailed.newBuilder()
              .setCode(500)
              .setRestateCode(ErrorCode.RT0012.code())
              .setMessage("unexpected content-type '" + ct + "' from the deployment")
              .setNextRetryDelayMillis(-1)
              .build(),
          null);
      return;
    }
    responseOk = true;
  }

  private static long retryAfter(List<Map.Entry<String, String>> headers) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase("retry-after")) {
        try {
          return Long.parseLong(h.getValue().trim()) * 1000;
        } catch (NumberFormatException ignored) {
          return -1;
        }
      }
    }
    return -1;
  }

  @Override
  public synchronized void onData(byte[] chunk) {
    if (done || !responseOk) {
      return;
    }
    try {
      decoder.feed(chunk, 0, chunk.length, this::onFrame);
    } catch (MessageTooLargeException e) {
      // the header declared it: nothing of the message was buffered
      fail(
          AttemptFailed.newBuilder()
              .setCode(500)
              .setRestateCode(ErrorCode.RT0003.code())
              .setMessage(tooLarge(e.size(), e.limit() + 1))
              .setNextRetryDelayMillis(-1)
              .build(),
          null);
    } catch (ProtocolException e) {
      fail(
          AttemptFailed.newBuilder()
              .setCode(571)
              .setRestateCode(ErrorCode.RT0012.code())
              .setMessage(e.getMessage())
              .setNextRetryDelayMillis(-1)
              .build(),
          null);
    }
  }

  /**
   * Allowance restate-server 1.7.12 adds to {@code message-size-limit} (observed: a 1 MiB limit
   * refuses a message at 1,310,720 bytes, a 2 MiB limit at 2,359,296).
   */
  static final int MESSAGE_SIZE_ALLOWANCE = 256 * 1024;

  /** Size at which a message from the deployment fails the attempt. */
  static int effectiveMessageLimit(InvokerOptions o) {
    return (int)
        Math.min(Integer.MAX_VALUE - 8L, (long) o.maxMessageSize() + MESSAGE_SIZE_ALLOWANCE);
  }

  /** The failure message of a message over the limit, in restate-server's words. */
  static String tooLarge(long size, long limit) {
    return "message encoding error: hit message size limit: " + size + " >= " + limit;
  }

  private void onFrame(Frame f) {
    if (done) {
      return;
    }
    if (f.payload().length > invoker.options().messageSizeWarning()) {
      InvocationMdc.put(id, status.getTarget());
      try {
        LOG.warn(
            "invocation {}: a message of {} bytes from the deployment is over the warning size of"
                + " {} bytes (worker.invoker.message-size-warning; the limit is {} bytes)",
            id,
            f.payload().length,
            invoker.options().messageSizeWarning(),
            invoker.options().maxMessageSize());
      } finally {
        InvocationMdc.clear();
      }
    }
    if (bidi && !requestClosed) {
      armTimeout(inactivity);
    } else {
      armTimeout(abort);
    }
    MessageType type = f.type();
    if (type == null) {
      violation(String.format("unknown message type 0x%04X", f.code()));
      return;
    }
    MessageLite m;
    try {
      m = f.message();
    } catch (ProtocolException e) {
      violation(e.getMessage());
      return;
    }
    InvokerEvent.Builder ev = event();
    if (type.isCommand()) {
      String problem = invoker.validator().validate(type, m, ev);
      if (problem != null) {
        fail(
            AttemptFailed.newBuilder()
                .setCode(500)
                .setRestateCode(ErrorCode.RT0017.code())
                .setMessage(problem)
                .setNextRetryDelayMillis(-1)
                .build(),
            null);
        return;
      }
      ev.setCommand(
          JournalEntry.newBuilder().setType(f.code()).setPayload(ByteString.copyFrom(f.payload())));
      int index = nextCommandIndex++;
      if (trace != AttemptTrace.NONE) {
        TraceContext child =
            trace.command(type, m, index, ev.hasCallTarget() ? ev.getCallTarget() : null);
        if (child != null) {
          ev.setChildTrace(child);
        }
      }
      Envelope e = Envelope.newBuilder().setInvokerEvent(ev).setCommandIndex(index).build();
      if (holdable(type)) {
        hold(e);
      } else {
        append(e);
      }
      return;
    }
    switch (type) {
      case PROPOSE_RUN_COMPLETION -> {
        ProposeRunCompletionMessage p = (ProposeRunCompletionMessage) m;
        trace.runProposed(p.getResultCompletionId(), p.hasFailure());
        Outcome.Builder o = Outcome.newBuilder();
        if (p.hasFailure()) {
          o.setFailure(Outcomes.stored(p.getFailure()));
        } else {
          o.setSuccess(p.getValue());
        }
        append(
            ev.setProposeRun(
                ProposeRun.newBuilder().setCompletionId(p.getResultCompletionId()).setOutcome(o)));
      }
      case SUSPENSION -> {
        SuspensionMessage s = (SuspensionMessage) m;
        append(
            ev.setSuspended(
                Suspended.newBuilder()
                    .addAllCompletions(s.getWaitingCompletionsList())
                    .addAllSignals(s.getWaitingSignalsList())
                    .addAllNamedSignals(s.getWaitingNamedSignalsList())));
        invoker.metrics().ended(partition, End.SUSPENDED, startNanos);
        trace.end("suspended", null);
        finish();
      }
      case ERROR -> {
        ErrorMessage err = (ErrorMessage) m;
        String code =
            err.getCode() == 570
                ? ErrorCode.RT0016.code()
                : err.getCode() == 571 ? ErrorCode.RT0012.code() : ErrorCode.RT0007.code();
        AttemptFailed.Builder failed =
            AttemptFailed.newBuilder()
                .setCode(err.getCode())
                .setMessage(err.getMessage())
                .setRestateCode(code)
                .setStacktrace(err.getStacktrace())
                .setNextRetryDelayMillis(err.hasNextRetryDelay() ? err.getNextRetryDelay() : -1);
        // the command the failure relates to, as restate's invoker keeps it beside the message
        if (err.hasRelatedCommandIndex()) {
          failed.setRelatedCommandIndex(err.getRelatedCommandIndex());
        }
        if (err.hasRelatedCommandName()) {
          failed.setRelatedCommandName(err.getRelatedCommandName());
        }
        if (err.hasRelatedCommandType()) {
          failed.setRelatedCommandType(err.getRelatedCommandType());
        }
        fail(failed.build(), null);
      }
      case END -> {
        append(ev.setEnd(true));
        invoker.metrics().ended(partition, End.COMPLETED, startNanos);
        trace.end("completed", null);
        finish();
      }
      default -> violation("unexpected message " + type + " from the deployment");
    }
  }

  @Override
  public synchronized void onEnd() {
    if (!done) {
      fail(
          transientFailure("the deployment closed the stream without End, Suspension or Error"),
          null);
    }
  }

  @Override
  public synchronized void onError(Throwable cause) {
    if (!done) {
      fail(
          AttemptFailed.newBuilder()
              .setCode(500)
              .setRestateCode(ErrorCode.RT0010.code())
              .setMessage("error talking to the deployment: " + cause.getMessage())
              .setNextRetryDelayMillis(-1)
              .build(),
          null);
    }
  }

  // ---------------------------------------------------------------- timeouts

  /**
   * Arms the inactivity or abort timeout (a zero or missing duration: none); see {@link Deadline}.
   */
  private void armTimeout(Duration d) {
    if (done || d == null || d.isZero()) {
      cancelTimeout();
      return;
    }
    if (deadline.arm(d)) {
      if (timeout != null) {
        timeout.cancel(false);
      }
      scheduleTimeoutCheck();
    }
  }

  private void scheduleTimeoutCheck() {
    timeout = invoker.scheduleTimer(this::onTimeout, deadline.delayNanos(), TimeUnit.NANOSECONDS);
  }

  private void cancelTimeout() {
    deadline.disarm();
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  private synchronized void onTimeout() {
    if (done) {
      return;
    }
    switch (deadline.fire()) {
      case STALE -> {
        return; // cancelled, or a stale check that a re-arm replaced
      }
      case MOVED -> {
        scheduleTimeoutCheck();
        return;
      }
      case EXPIRED -> timeout = null;
    }
    if (bidi && !requestClosed) {
      InvocationMdc.put(id, status.getTarget());
      try {
        LOG.debug("{}: inactivity timeout, asking the deployment to suspend", id);
      } finally {
        InvocationMdc.clear();
      }
      requestClosed = true;
      exchange.end();
      armTimeout(abort);
    } else {
      fail(
          AttemptFailed.newBuilder()
              .setCode(500)
              .setRestateCode(ErrorCode.RT0001.code())
              .setMessage("the response stream was aborted by the abort timeout")
              .setNextRetryDelayMillis(-1)
              .build(),
          null);
    }
  }

  // ---------------------------------------------------------------- outcome

  private InvokerEvent.Builder event() {
    return InvokerEvent.newBuilder()
        .setInvocationId(ByteString.copyFrom(id.toBytes()))
        .setAttempt(status.getAttempt())
        .setDeploymentId(deploymentId)
        .setProtocolVersion(protocolVersion);
  }

  /**
   * Commands whose apply only writes the journal (and the object's state) and that no one waits
   * for: nothing is sent back for them and nothing happens elsewhere. The deployment usually sends
   * them right before its next message (a counter: GetEagerState, SetState, Output, End); holding
   * them until then makes that one group commit instead of one per message, which shortens the path
   * from End to the next invocation on the key. Nothing is acknowledged for them, so holding them
   * does not delay any acknowledgement; if the attempt dies first, the retry replays the journal
   * without them and the deployment sends them again, as for any unstored command.
   *
   * <p>{@code RunCommand} is one of them: its apply only journals it, and the deployment sends
   * {@code ProposeRunCompletion} as soon as the closure returns, so a short {@code ctx.run} step is
   * one group commit (command and result) instead of two. A retry before the result is stored runs
   * the closure again whether the command was journaled or not (at-least-once either way); a
   * closure that runs longer than {@link #HOLD_MAX_MILLIS} gets its command appended on its own.
   */
  static boolean holdable(MessageType type) {
    return switch (type) {
      case GET_EAGER_STATE_COMMAND,
          GET_EAGER_STATE_KEYS_COMMAND,
          SET_STATE_COMMAND,
          CLEAR_STATE_COMMAND,
          CLEAR_ALL_STATE_COMMAND,
          RUN_COMMAND,
          OUTPUT_COMMAND ->
          true;
      default -> false;
    };
  }

  private void hold(Envelope e) {
    held.add(e);
    if (holdTimer == null) {
      holdTimer = invoker.scheduleTimer(this::flushHeld, HOLD_MAX_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Appends what is held on its own (the deployment sent nothing else for a while). */
  private synchronized void flushHeld() {
    holdTimer = null;
    if (!done && !held.isEmpty()) {
      invoker.appender().appendAll(partition, List.copyOf(held));
      held.clear();
    }
  }

  private void dropHeld() {
    held.clear();
    if (holdTimer != null) {
      holdTimer.cancel(false);
      holdTimer = null;
    }
  }

  /** Appends an event, preceded by the held commands, all in one group. */
  private void append(InvokerEvent.Builder ev) {
    append(Envelope.newBuilder().setInvokerEvent(ev).build());
  }

  private void append(Envelope e) {
    if (held.isEmpty()) {
      invoker.appender().append(partition, e);
      return;
    }
    held.add(e);
    invoker.appender().appendAll(partition, List.copyOf(held));
    dropHeld();
  }

  private void violation(String message) {
    fail(
        AttemptFailed.newBuilder()
            .setCode(571)
            .setRestateCode(ErrorCode.RT0012.code())
            .setMessage(message)
            .setNextRetryDelayMillis(-1)
            .build(),
        null);
  }

  private static AttemptFailed transientFailure(String message) {
    return AttemptFailed.newBuilder()
        .setCode(500)
        .setRestateCode(ErrorCode.RT0006.code())
        .setMessage(message)
        .setNextRetryDelayMillis(-1)
        .build();
  }

  /** Ends the attempt as failed: decides the retry and records it in the log. */
  private void fail(AttemptFailed f, Throwable cause) {
    if (done) {
      return;
    }
    RetryPolicy policy =
        handler != null && handler.retryPolicy() != null
            ? handler.retryPolicy()
            : invoker.options().defaultRetryPolicy();
    AttemptFailed b = RetryDecision.decide(f, policy, status.getPolicyFailures(), invoker.random());
    InvocationMdc.put(id, status.getTarget());
    try {
      LOG.warn(
          "invocation {} attempt {} failed: [{}] {}{}",
          id,
          status.getAttempt(),
          f.getRestateCode(),
          f.getMessage(),
          b.getExhausted()
              ? " (retries exhausted)"
              : ", retrying in " + b.getNextRetryDelayMillis() + "ms");
      if (cause != null) {
        LOG.debug("cause", cause);
      }
    } finally {
      InvocationMdc.clear();
    }
    trace.end("failed", "[" + f.getRestateCode() + "] " + f.getMessage());
    append(event().setFailed(b));
    invoker
        .metrics()
        .ended(partition, b.getExhausted() ? End.FAILED : End.FAILED_TRANSIENT, startNanos);
    finish();
    if (exchange != null) {
      exchange.cancel();
    }
  }

  private void finish() {
    done = true;
    cancelTimeout();
    if (exchange != null && !requestClosed) {
      requestClosed = true;
      exchange.end();
    }
    invoker.finished(this);
  }
}
