package dev.resolute.server.partition;

import static dev.resolute.server.partition.Apply.raw;
import static dev.resolute.server.partition.Outcomes.VOID;
import static dev.resolute.server.partition.Outcomes.failure;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.BuiltInSignal;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.InputCommandMessage;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.pb.Caller;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.Header;
import dev.resolute.server.pb.IngressQuery;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Kill;
import dev.resolute.server.pb.Outcome;
import dev.resolute.server.pb.StateEntry;
import dev.resolute.server.pb.StateMutation;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Invocation control, asked by the ingress, the admin API or another invocation: attach and output,
 * cancel, kill (with the pending callees), pause, resume, purge. The answers and status codes are
 * restate-server 1.7.12's.
 */
final class Control {
  private Control() {}

  /**
   * A question about one invocation: its context, id, stored status (null if unknown) and
   * requester.
   */
  private record Query(
      Apply cx, InvocationId id, InvocationStatus cur, long req, Caller caller, IngressQuery q) {
    Phase phase() {
      return Phase.of(cur);
    }

    boolean completed() {
      return cur != null && phase() == Phase.COMPLETED;
    }

    void refuse(int status, String message) {
      cx.refuse(req, status, message);
    }

    void reply(Answer a) {
      cx.reply(req, a);
    }
  }

  static void onQuery(Apply cx, IngressQuery q) {
    InvocationId id = InvocationId.fromBytes(q.getInvocationId().toByteArray());
    Query c =
        new Query(
            cx,
            id,
            cx.t.status(id),
            q.getIngressRequest(),
            q.hasCaller() ? q.getCaller() : null,
            q);
    switch (q.getKind()) {
      case ATTACH -> attach(c);
      case OUTPUT -> output(c);
      case CANCEL -> cancel(c);
      case KILL -> kill(c);
      case RESUME -> resume(c);
      case PAUSE -> pause(c);
      case PURGE, PURGE_JOURNAL -> purge(c);
      case RESTART_AS_NEW -> restartAsNew(c);
      default -> {}
    }
  }

  /**
   * A kill shipped by a caller's partition to one of its callees: as an admin kill nobody waits
   * for.
   */
  static void onKill(Apply cx, Kill k) {
    onQuery(
        cx,
        IngressQuery.newBuilder()
            .setInvocationId(k.getInvocationId())
            .setKind(IngressQuery.Kind.KILL)
            .build());
  }

  private static void attach(Query c) {
    if (c.cur == null) {
      // restate-server answers an attach to an unknown invocation as a failed invocation
      answer(c, failure(404, "not found"), 0);
    } else if (c.completed()) {
      answer(c, c.cur.getOutcome(), Outcomes.expiresAt(c.cur));
    } else if (c.caller != null) {
      c.cx.t.putStatus(c.id, c.cur.toBuilder().addCallers(c.caller).build());
    } else {
      c.cx.t.putStatus(c.id, c.cur.toBuilder().addIngressWaiters(c.req).build());
    }
  }

  /** The answer to an attach: to the handler that asked, or to the waiting ingress request. */
  private static void answer(Query c, Outcome outcome, long expiresAt) {
    if (c.caller != null) {
      c.cx.shipCompletion(c.caller, outcome);
    } else {
      c.reply(new Answer.Invoked(new InvocationResult(c.id, Outcomes.toApi(outcome), expiresAt)));
    }
  }

  private static void output(Query c) {
    if (c.cur == null) {
      if (c.caller != null) {
        c.cx.shipCompletion(c.caller, failure(404, "not found"));
      } else {
        c.refuse(404, "invocation not found");
      }
    } else if (c.caller != null) {
      c.cx.shipCompletion(
          c.caller, c.completed() ? c.cur.getOutcome() : Outcome.getDefaultInstance());
    } else {
      c.reply(
          new Answer.Output(
              c.completed() ? Optional.of(Outcomes.stored(c.id, c.cur)) : Optional.empty()));
    }
  }

  private static void cancel(Query c) {
    if (c.cur == null) {
      c.refuse(404, "invocation " + c.id + " not found");
    } else if (c.completed()) {
      c.refuse(409, "The invocation '" + c.id + "' was already completed.");
    } else if (c.phase().notStarted()) {
      // never started: cancelled at once, and (like restate-server 1.7.12) not kept, whether
      // idempotent, a workflow run or neither: the same send is accepted anew afterwards
      Lifecycle.complete(c.cx, c.id, c.cur.toBuilder(), failure(409, "canceled"));
      Lifecycle.forget(c.cx, c.id);
      c.reply(new Answer.Cancelled(true));
    } else {
      InvocationStatus.Builder st = c.cur.toBuilder();
      boolean started =
          Notifications.notify(
              c.cx,
              c.id,
              st,
              MessageType.SIGNAL_NOTIFICATION,
              NotificationTemplate.newBuilder()
                  .setSignalId(BuiltInSignal.CANCEL_VALUE)
                  .setVoid(VOID)
                  .build());
      Phase phase = Phase.of(st);
      if (phase == Phase.PAUSED) {
        // let the handler see the cancel now, with a fresh retry budget as a resume gives
        // (restate-server 1.7.12 retries a paused invocation as many times again)
        Lifecycle.startAttempt(c.cx, c.id, st.setRetryCount(0).setPolicyFailures(0));
      } else if (phase == Phase.BACKING_OFF) {
        Lifecycle.startAttempt(c.cx, c.id, st); // let the handler see the cancel now
      } else if (!started) {
        c.cx.t.putStatus(c.id, st.build());
      }
      c.reply(new Answer.Cancelled(false));
    }
  }

  private static void kill(Query c) {
    if (c.cur == null) {
      c.refuse(404, "invocation " + c.id + " not found");
    } else if (c.completed()) {
      c.refuse(409, "The invocation '" + c.id + "' was already completed.");
    } else {
      killPendingCallees(c.cx, c.id);
      Lifecycle.complete(c.cx, c.id, c.cur.toBuilder(), failure(409, "killed"));
      if (c.phase().notStarted()) {
        Lifecycle.forget(c.cx, c.id); // never started: not kept, as cancel (restate-server 1.7.12)
      }
      c.reply(Answer.Done.INSTANCE);
    }
  }

  /**
   * restate-server 1.7.12: 200 for running/suspended/backing-off/paused (a fresh retry budget). A
   * change of deployment ({@code latest} or an id) needs an invocation that is not running and, for
   * an id, a pinned deployment (else 409); an id that is not registered is a 400.
   */
  private static void resume(Query c) {
    String deployment = c.q.getDeployment();
    boolean change = !deployment.isEmpty() && !deployment.equals("keep");
    if (c.cur == null) {
      c.refuse(404, "invocation " + c.id + " not found");
    } else if (c.completed()) {
      c.refuse(409, "The invocation '" + c.id + "' is completed, cannot be resumed.");
    } else if (c.phase().notStarted()) {
      c.refuse(
          425, "The invocation '" + c.id + "' is either inboxed or scheduled, cannot be resumed.");
    } else if (change
        && (c.phase() == Phase.INVOKED
            || (c.cur.getDeploymentId().isEmpty() && !deployment.equals("latest")))) {
      c.refuse(
          409,
          "The invocation '"
              + c.id
              + "' is still running or the deployment id is not pinned yet, deployment id cannot"
              + " be changed.");
    } else if (change && !deployment.equals("latest") && c.q.getDeploymentUnknown()) {
      c.refuse(
          400,
          "The given deployment was not found when trying to resume the invocation '"
              + c.id
              + "'.");
    } else {
      if (c.phase() != Phase.INVOKED) {
        InvocationStatus.Builder st = c.cur.toBuilder().setRetryCount(0).setPolicyFailures(0);
        if (deployment.equals("latest")) {
          // unpinned: the next attempt takes the service's current deployment and pins it
          st.clearDeploymentId();
        } else if (change) {
          st.setDeploymentId(deployment);
        }
        Lifecycle.startAttempt(c.cx, c.id, st);
      }
      c.reply(new Answer.Managed(200));
    }
  }

  /**
   * A new invocation of the same target with the same input and headers, under the id the asker
   * chose (restate-server 1.7.12's answers: 404 unknown, 425 not started, 409 running, 422 a
   * workflow run, 410 journal gone). It is not idempotent and nobody waits for it; it keeps the old
   * invocation's retention.
   */
  private static void restartAsNew(Query c) {
    if (c.cur == null) {
      c.refuse(404, "invocation " + c.id + " not found");
    } else if (c.phase().notStarted()) {
      c.refuse(
          425, "The invocation '" + c.id + "' cannot be restarted because it's not running yet.");
    } else if (!c.completed()) {
      c.refuse(409, "The invocation '" + c.id + "' is still running.");
    } else if (c.cur.getTarget().getKind() == dev.resolute.server.pb.Target.Kind.WORKFLOW_RUN) {
      c.refuse(
          422,
          "Restarting the invocation '"
              + c.id
              + "' is not supported. Restarting workflows is not supported, and restarting"
              + " invocations created using the old service protocol.");
    } else {
      List<JournalEntry> journal = c.cx.t.journal(c.id, 1);
      InputCommandMessage input = null;
      if (!journal.isEmpty()
          && MessageType.fromCode(journal.get(0).getType()) == MessageType.INPUT_COMMAND) {
        try {
          input = InputCommandMessage.parseFrom(journal.get(0).getPayload());
        } catch (InvalidProtocolBufferException e) {
          input = null;
        }
      }
      if (input == null) {
        c.refuse(
            410,
            "The invocation '"
                + c.id
                + "' cannot be restarted because the input is not available. This indicates that"
                + " the journal was already purged, or not retained at all.");
        return;
      }
      Invoke.Builder inv =
          Invoke.newBuilder()
              .setInvocationId(c.q.getNewInvocationId())
              .setTarget(c.cur.getTarget())
              .setInput(input.getValue().getContent())
              .setCompletionRetentionMillis(c.cur.getCompletionRetentionMillis())
              // the new run is limited as the old one was (its id keeps the partition key)
              .setScope(c.cur.getScope())
              .setLimitKey(c.cur.getLimitKey());
      for (dev.resolute.protocol.pb.Header h : input.getHeadersList()) {
        inv.addHeaders(Header.newBuilder().setKey(h.getKey()).setValue(h.getValue()));
      }
      Lifecycle.onInvoke(c.cx, inv.build());
      InvocationId newId = InvocationId.fromBytes(c.q.getNewInvocationId().toByteArray());
      InvocationStatus created = c.cx.t.status(newId);
      if (created != null) {
        c.cx.t.putStatus(newId, created.toBuilder().setRestartedFrom(raw(c.id)).build());
      }
      c.reply(new Answer.Managed(200));
    }
  }

  /**
   * Admin state replacement of one object key. While an invocation holds the key's lock the
   * mutation waits in the key's inbox behind the invocations already queued (as restate-server
   * enqueues it), so a running exclusive handler never sees its state change under it; otherwise it
   * is applied at once.
   */
  static void onStateMutation(Apply cx, StateMutation m) {
    if (cx.t.lockHolder(m.getService(), m.getKey()) != null) {
      cx.t.enqueueStateMutation(m.getService(), m.getKey(), m);
    } else {
      applyStateMutation(cx, m);
    }
  }

  /**
   * All the key's state is replaced, unless a version was given and the current state's version
   * ({@link #stateVersion}) differs, as restate-server does (it drops such a mutation).
   */
  static void applyStateMutation(Apply cx, StateMutation m) {
    if (m.getHasVersion()
        && !m.getVersion().equals(stateVersion(cx.t.allState(m.getService(), m.getKey())))) {
      return;
    }
    cx.t.clearState(m.getService(), m.getKey());
    for (StateEntry e : m.getEntriesList()) {
      cx.t.putState(
          m.getService(), m.getKey(), e.getName().toByteArray(), e.getValue().toByteArray());
    }
  }

  /**
   * The version of an object's state as restate-server (and the official CLI) computes it: SHA-256
   * over the entries sorted by name, each as its index (u64 big-endian), 0x01, name, 0x02, value,
   * 0x03; URL-safe base64 without padding.
   */
  static String stateVersion(List<byte[][]> entries) {
    List<byte[][]> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < sorted.size(); i++) {
        sha.update(ByteBuffer.allocate(8).putLong(i).array());
        sha.update((byte) 1);
        sha.update(sorted.get(i)[0]);
        sha.update((byte) 2);
        sha.update(sorted.get(i)[1]);
        sha.update((byte) 3);
      }
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void pause(Query c) {
    if (c.cur == null) {
      c.refuse(404, "invocation " + c.id + " not found");
    } else if (c.phase() == Phase.PAUSED || c.phase() == Phase.SUSPENDED) {
      // restate-server 1.7.12 answers "already paused" for a suspended invocation and leaves it
      // suspended
      c.reply(new Answer.Managed(200));
    } else if (c.completed() || c.phase().notStarted()) {
      c.refuse(409, "The invocation '" + c.id + "' is not running, cannot be paused.");
    } else {
      if (c.phase() == Phase.INVOKED) {
        c.cx.effect(
            new Effect.AbortAttempt(
                c.id)); // its late events are fenced: the phase is no longer INVOKED
      }
      c.cx.count(c.cur, dev.resolute.server.metrics.InvocationMetrics.Event.PAUSED);
      InvocationStatus.Builder paused =
          Phase.move(c.cur.toBuilder(), Phase.PAUSED).clearWaiting().setModifiedAt(c.cx.now);
      FailureText.recordPaused(paused, null, c.cx.now);
      c.cx.t.putStatus(c.id, paused.build());
      c.reply(new Answer.Managed(202));
    }
  }

  private static void purge(Query c) {
    if (c.cur == null) {
      c.refuse(404, "invocation " + c.id + " not found");
    } else if (!c.completed()) {
      c.refuse(409, "The invocation '" + c.id + "' is not yet completed.");
    } else {
      if (c.q.getKind() == IngressQuery.Kind.PURGE) {
        Lifecycle.purge(c.cx, c.id, c.cur.getTarget());
      } else {
        c.cx.t.deleteJournal(c.id);
        c.cx.t.putStatus(
            c.id,
            c.cur.toBuilder()
                .setJournalLength(0)
                .clearJournalEvents()
                .clearJournalEventRelated()
                .build());
      }
      c.reply(new Answer.Managed(200));
    }
  }

  /**
   * Kill reaches the whole call tree: every invocation this one created with a call whose result it
   * still waits for, and (as restate-server 1.7.12 does, observed) every one-way child too.
   */
  private static void killPendingCallees(Apply cx, InvocationId id) {
    Map<Integer, Integer> idxToResult = new HashMap<>();
    Map<Integer, String> calleeByIdx = new LinkedHashMap<>();
    Set<Integer> completedResults = new HashSet<>();
    for (JournalEntry e : cx.t.journal(id)) {
      MessageType type = MessageType.fromCode(e.getType());
      try {
        if (type == MessageType.CALL_COMMAND) {
          CallCommandMessage c = CallCommandMessage.parseFrom(e.getPayload());
          idxToResult.put(c.getInvocationIdNotificationIdx(), c.getResultCompletionId());
        } else if (type == MessageType.CALL_INVOCATION_ID_COMPLETION) {
          NotificationTemplate n = NotificationTemplate.parseFrom(e.getPayload());
          calleeByIdx.put(n.getCompletionId(), n.getInvocationId());
        } else if (type == MessageType.CALL_COMPLETION) {
          completedResults.add(NotificationTemplate.parseFrom(e.getPayload()).getCompletionId());
        }
      } catch (InvalidProtocolBufferException ignored) {
        // not readable: nothing to propagate
      }
    }
    for (Map.Entry<Integer, String> child : calleeByIdx.entrySet()) {
      Integer result = idxToResult.get(child.getKey());
      if (result != null && completedResults.contains(result)) {
        continue; // a call that already returned
      }
      InvocationId cid = InvocationId.parse(child.getValue());
      cx.ship(
          cid, Envelope.newBuilder().setKill(Kill.newBuilder().setInvocationId(raw(cid))).build());
    }
  }
}
