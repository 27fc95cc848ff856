package dev.resolute.server.partition;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.GetLazyStateCommandMessage;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.protocol.pb.SetStateCommandMessage;
import dev.resolute.protocol.pb.SleepCommandMessage;
import dev.resolute.protocol.pb.Value;
import dev.resolute.server.pb.AttemptFailed;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Outcome;
import dev.resolute.server.pb.ProposeRun;
import dev.resolute.server.pb.Suspended;
import dev.resolute.server.pb.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The invoker and the deployment of a simulated node in one: it runs the two handlers of the
 * simulation as an SDK would, against the journal the partition hands it (replaying what is
 * journaled, one new command per step), and appends what they produce as the real invoker does,
 * through the node's appender. Attempts fail, suspend and are superseded at random.
 *
 * <ul>
 *   <li>{@code Counter/add} (exclusive, keyed): lazy get of {@code count}, set it one higher,
 *       output;
 *   <li>{@code Parent/run} (service, input: a counter key): a {@code ctx.run} (its executions are
 *       counted), a call of {@code Counter/add} for that key, a sleep, await both, output.
 * </ul>
 */
final class SimDeployment implements InvokerPort {
  static final Target COUNTER_ADD =
      Target.newBuilder()
          .setService("Counter")
          .setHandler("add")
          .setKeyed(true)
          .setKind(Target.Kind.EXCLUSIVE)
          .build();
  static final Target PARENT_RUN =
      Target.newBuilder().setService("Parent").setHandler("run").build();
  static final ByteString COUNT = ByteString.copyFromUtf8("count");

  private final Simulation sim;
  private final SimNode node;
  private final long incarnation;
  private final Map<InvocationId, Attempt> live = new HashMap<>();

  SimDeployment(Simulation sim, SimNode node, long incarnation) {
    this.sim = sim;
    this.node = node;
    this.incarnation = incarnation;
  }

  int live() {
    return live.size();
  }

  @Override
  public void start(int partition, Effect.StartAttempt s) {
    Attempt a = new Attempt(partition, s.id(), s.status().getAttempt(), s.status().getTarget());
    a.journal.addAll(s.journal());
    for (JournalEntry e : s.journal()) {
      if (MessageType.fromCode(e.getType()).isCommand()) {
        a.commands++;
      }
    }
    live.put(s.id(), a);
    sim.trace(node, "start %s attempt %d (%d entries)", s.id(), a.number, s.journal().size());
    next(a);
  }

  @Override
  public void forward(InvocationId id, int attempt, JournalEntry entry) {
    Attempt a = live.get(id);
    if (a != null && a.number == attempt) {
      a.journal.add(entry);
      next(a);
    }
  }

  @Override
  public void abort(InvocationId id) {
    live.remove(id);
  }

  private void next(Attempt a) {
    sim.at(sim.rnd.nextInt(4), node, incarnation, () -> step(a));
  }

  /** One step of an attempt: fails, waits, suspends, or sends the next command or End. */
  private void step(Attempt a) {
    if (live.get(a.id) != a || a.ended) {
      return;
    }
    if (sim.rnd.nextInt(100) < 3) {
      end(a);
      emit(
          a,
          InvokerEvent.newBuilder()
              .setFailed(
                  AttemptFailed.newBuilder()
                      .setCode(500)
                      .setMessage("simulated failure")
                      .setNextRetryDelayMillis(sim.rnd.nextInt(300))
                      .setPolicyRetry(true)));
      return;
    }
    boolean parent = a.target.getService().equals("Parent");
    // command 0 is the input; then the handler's commands, in order
    if (parent) {
      if (!command(a, 1, MessageType.RUN_COMMAND, () -> run(1))) {
        return;
      }
      if (completion(a, 1) == null) {
        if (a.proposed) {
          suspendOrWait(a, 1);
        } else {
          // the run's result is not journaled: (re-)execute it and propose the result
          a.proposed = true;
          sim.ranEffect(a.id);
          emit(
              a,
              InvokerEvent.newBuilder()
                  .setProposeRun(
                      ProposeRun.newBuilder()
                          .setCompletionId(1)
                          .setOutcome(
                              Outcome.newBuilder().setSuccess(ByteString.copyFromUtf8("r")))));
          next(a);
        }
        return;
      }
      String key = input(a);
      if (!command(a, 2, MessageType.CALL_COMMAND, () -> call(key))) {
        return;
      }
      if (!command(
          a,
          3,
          MessageType.SLEEP_COMMAND,
          () ->
              SleepCommandMessage.newBuilder()
                  .setWakeUpTime(node.clock().millis() + sim.rnd.nextInt(2000))
                  .setResultCompletionId(4)
                  .build())) {
        return;
      }
      if (completion(a, 2) == null || completion(a, 4) == null) {
        suspendOrWait(a, completion(a, 2) == null ? 2 : 4);
        return;
      }
      if (!command(a, 4, MessageType.OUTPUT_COMMAND, () -> output("\"done\""))) {
        return;
      }
    } else {
      if (!command(
          a,
          1,
          MessageType.GET_LAZY_STATE_COMMAND,
          () ->
              GetLazyStateCommandMessage.newBuilder()
                  .setKey(COUNT)
                  .setResultCompletionId(1)
                  .build())) {
        return;
      }
      NotificationTemplate got = completion(a, 1);
      if (got == null) {
        suspendOrWait(a, 1);
        return;
      }
      long count = got.hasValue() ? Long.parseLong(got.getValue().getContent().toStringUtf8()) : 0;
      if (!command(
          a,
          2,
          MessageType.SET_STATE_COMMAND,
          () ->
              SetStateCommandMessage.newBuilder()
                  .setKey(COUNT)
                  .setValue(
                      Value.newBuilder()
                          .setContent(ByteString.copyFromUtf8(Long.toString(count + 1))))
                  .build())) {
        return;
      }
      if (!command(a, 3, MessageType.OUTPUT_COMMAND, () -> output("\"ok\""))) {
        return;
      }
    }
    end(a);
    emit(a, InvokerEvent.newBuilder().setEnd(true));
  }

  /**
   * Command {@code index} of the handler: true if it is journaled (replayed) or was sent by this
   * attempt before; otherwise sends it now, schedules the next step and returns false.
   */
  private boolean command(
      Attempt a, int index, MessageType type, java.util.function.Supplier<MessageLite> m) {
    if (index < a.commands) {
      return true;
    }
    MessageLite msg = m.get();
    a.commands++;
    a.journal.add(
        JournalEntry.newBuilder()
            .setType(type.code())
            .setPayload(ByteString.copyFrom(msg.toByteArray()))
            .build());
    InvokerEvent.Builder ev =
        InvokerEvent.newBuilder()
            .setCommand(
                JournalEntry.newBuilder()
                    .setType(type.code())
                    .setPayload(ByteString.copyFrom(msg.toByteArray())));
    if (type == MessageType.CALL_COMMAND) {
      ev.setCallTarget(COUNTER_ADD.toBuilder().setKey(((CallCommandMessage) msg).getKey()));
    }
    emit(a, ev);
    next(a);
    return false;
  }

  private static MessageLite run(int completion) {
    return RunCommandMessage.newBuilder().setResultCompletionId(completion).build();
  }

  private static MessageLite call(String key) {
    return CallCommandMessage.newBuilder()
        .setServiceName("Counter")
        .setHandlerName("add")
        .setKey(key)
        .setParameter(ByteString.copyFromUtf8("1"))
        .setInvocationIdNotificationIdx(3)
        .setResultCompletionId(2)
        .build();
  }

  private static MessageLite output(String json) {
    return OutputCommandMessage.newBuilder()
        .setValue(Value.newBuilder().setContent(ByteString.copyFromUtf8(json)))
        .build();
  }

  /** Waits for a forwarded notification, or (sometimes) suspends on it and ends the attempt. */
  private void suspendOrWait(Attempt a, int completion) {
    if (sim.rnd.nextInt(3) == 0) {
      end(a);
      emit(
          a,
          InvokerEvent.newBuilder()
              .setSuspended(Suspended.newBuilder().addCompletions(completion)));
    }
  }

  private void end(Attempt a) {
    a.ended = true;
    live.remove(a.id);
  }

  private void emit(Attempt a, InvokerEvent.Builder ev) {
    Envelope env =
        Envelope.newBuilder()
            .setInvokerEvent(
                ev.setInvocationId(ByteString.copyFrom(a.id.toBytes()))
                    .setAttempt(a.number)
                    .setDeploymentId("dp_sim")
                    .setProtocolVersion(6))
            .build();
    node.appender().append(a.partition, env);
  }

  private static NotificationTemplate completion(Attempt a, int id) {
    for (JournalEntry e : a.journal) {
      MessageType t = MessageType.fromCode(e.getType());
      if (t != null && t.isNotification()) {
        try {
          NotificationTemplate n = NotificationTemplate.parseFrom(e.getPayload());
          if (n.getIdCase() == NotificationTemplate.IdCase.COMPLETION_ID
              && n.getCompletionId() == id) {
            return n;
          }
        } catch (InvalidProtocolBufferException ex) {
          throw new IllegalStateException(ex);
        }
      }
    }
    return null;
  }

  private static String input(Attempt a) {
    try {
      return dev.resolute.protocol.pb.InputCommandMessage.parseFrom(a.journal.get(0).getPayload())
          .getValue()
          .getContent()
          .toString(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One attempt as the deployment sees it: its journal grows by its commands and forwards. */
  private static final class Attempt {
    final int partition;
    final InvocationId id;
    final int number;
    final Target target;
    final List<JournalEntry> journal = new ArrayList<>();
    int commands;
    boolean proposed;
    boolean ended;

    Attempt(int partition, InvocationId id, int number, Target target) {
      this.partition = partition;
      this.id = id;
      this.number = number;
      this.target = target;
    }
  }
}
