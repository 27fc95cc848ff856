package dev.resolute.sdk.internal.statemachine;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.Frame;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.ProtocolException;
import dev.resolute.protocol.pb.EndMessage;
import dev.resolute.protocol.pb.ErrorMessage;
import dev.resolute.protocol.pb.InputCommandMessage;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.SleepCommandMessage;
import dev.resolute.protocol.pb.StartMessage;
import dev.resolute.protocol.pb.SuspensionMessage;
import dev.resolute.sdk.common.TerminalException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The SDK side of one invocation attempt (PROTOCOL.md §5). Frames from the server go in through
 * {@link #onFrame}; user code drives it through the context, on its own thread, blocking in {@link
 * #await}. Output frames go to a {@link Sink}. All methods synchronize on this object; no I/O,
 * clock or threads of its own.
 */
public final class InvocationStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(InvocationStateMachine.class);

  public static final int JOURNAL_MISMATCH = 570;
  public static final int PROTOCOL_VIOLATION = 571;
  public static final String MDC_STATUS = "restateInvocationStatus";

  /** Where output frames go. Called under the state machine's lock; must not block for long. */
  public interface Sink {
    void write(Frame frame);

    /** The response is complete. */
    void close();
  }

  record Taken(NotificationTemplate notification, long seq) {}

  record Entry(MessageType type, MessageLite message) {}

  private final Sink sink;
  private final int protocolVersion;
  private Phase phase = new Phase.WaitingStart();
  private StartInfo start;
  private InputCommandMessage input;
  private final ArrayDeque<Entry> journal = new ArrayDeque<>();
  private int replayCommandsLeft;
  private final Map<NotifId, Taken> taken = new HashMap<>();
  private long seq = 1;
  private boolean inputClosed;

  /** ctx.runAsync closures executing right now; suspension waits for their proposals. */
  private int runsInFlight;

  private boolean cancelPending;
  private boolean cancelDelivered;
  private int nextCompletionId = 1;
  private int nextSignalId = 17;
  private int commandIndex;
  private Map<ByteString, ByteString> state = new LinkedHashMap<>();
  private boolean partialState;
  private Thread handlerThread;
  private Runnable onCancel = () -> {};

  public InvocationStateMachine(int protocolVersion, Sink sink) {
    this.protocolVersion = protocolVersion;
    this.sink = sink;
  }

  // ---------------------------------------------------------------- input side (transport thread)

  public synchronized void onFrame(Frame frame) {
    if (phase instanceof Phase.Closed) {
      return;
    }
    try {
      MessageType type = frame.type();
      if (type == null) {
        throw new ProtocolViolation(String.format("unknown message type 0x%04X", frame.code()));
      }
      MessageLite msg = frame.message();
      if (phase instanceof Phase.WaitingStart) {
        if (type != MessageType.START) {
          throw new ProtocolViolation("expected StartMessage, got " + type);
        }
        onStart((StartMessage) msg);
      } else if (phase instanceof Phase.WaitingReplayEntries w) {
        onReplayEntry(type, msg, w.remaining());
      } else if (type.isNotification()) {
        journal.addLast(new Entry(type, msg));
        notifyAll();
      } else if (type != MessageType.COMMAND_ACK
          && type != MessageType.PROPOSE_RUN_COMPLETION_ACK) {
        throw new ProtocolViolation("unexpected " + type + " after the replayed journal");
      }
    } catch (ProtocolViolation | ProtocolException e) {
      LOG.warn("Protocol violation: {}", e.getMessage());
      writeError(PROTOCOL_VIOLATION, e.getMessage(), "", null);
    }
  }

  private void onStart(StartMessage s) {
    if (s.getKnownEntries() == 0) {
      throw new ProtocolViolation("Known entries is zero, expected at least one (the input)");
    }
    Map<ByteString, ByteString> map = new LinkedHashMap<>();
    s.getStateMapList().forEach(e -> map.put(e.getKey(), e.getValue()));
    long seed = protocolVersion >= 6 ? s.getRandomSeed() : fallbackSeed(s.getId());
    start =
        new StartInfo(
            s.getId().toByteArray(),
            s.getDebugId(),
            s.getKey(),
            map,
            s.getPartialState(),
            s.getRetryCountSinceLastStoredEntry(),
            s.getDurationSinceLastStoredEntry(),
            seed,
            s.getKnownEntries());
    state = new LinkedHashMap<>(map);
    partialState = s.getPartialState();
    transition(new Phase.WaitingReplayEntries(s.getKnownEntries()));
  }

  private void onReplayEntry(MessageType type, MessageLite msg, int remaining) {
    if (input == null) {
      if (type != MessageType.INPUT_COMMAND) {
        throw new ProtocolViolation("the first journal entry must be InputCommand, got " + type);
      }
      input = (InputCommandMessage) msg;
    } else if (type.isCommand() || type.isNotification()) {
      journal.addLast(new Entry(type, msg));
      if (type.isCommand()) {
        replayCommandsLeft++;
      }
    } else {
      throw new ProtocolViolation("unexpected " + type + " while receiving the journal");
    }
    if (remaining > 1) {
      transition(new Phase.WaitingReplayEntries(remaining - 1));
    } else {
      transition(replayCommandsLeft > 0 ? new Phase.Replaying() : new Phase.Processing());
      notifyAll();
    }
  }

  /** The server closed the request body: awaits that cannot complete now suspend. */
  public synchronized void onInputClosed() {
    inputClosed = true;
    if (phase instanceof Phase.WaitingStart || phase instanceof Phase.WaitingReplayEntries) {
      if (phase instanceof Phase.WaitingReplayEntries) {
        writeError(
            PROTOCOL_VIOLATION,
            "the request body ended before the whole journal was received",
            "",
            null);
      } else {
        transition(new Phase.Closed("input closed before start"));
        sink.close();
      }
    }
    notifyAll();
  }

  /** The transport is gone: stop, write nothing more. */
  public synchronized void abort(String reason) {
    if (!(phase instanceof Phase.Closed)) {
      transition(new Phase.Closed(reason));
    }
    notifyAll();
  }

  // ---------------------------------------------------------------- user side (handler thread)

  /** Blocks until the whole journal arrived; the calling thread becomes the handler thread. */
  public synchronized void awaitReady() throws InterruptedException {
    handlerThread = Thread.currentThread();
    while (phase instanceof Phase.WaitingStart || phase instanceof Phase.WaitingReplayEntries) {
      wait();
    }
    checkOpen();
    MDC.put(MDC_STATUS, phase.statusName());
  }

  public synchronized boolean isClosed() {
    return phase instanceof Phase.Closed;
  }

  public synchronized boolean isProcessing() {
    return phase instanceof Phase.Processing;
  }

  public synchronized String status() {
    return phase.statusName();
  }

  StartInfo start() {
    return start;
  }

  InputCommandMessage input() {
    return input;
  }

  public int protocolVersion() {
    return protocolVersion;
  }

  synchronized int nextCompletionId() {
    return nextCompletionId++;
  }

  synchronized int nextSignalId() {
    return nextSignalId++;
  }

  synchronized int commandIndex() {
    return commandIndex;
  }

  synchronized void setOnCancel(Runnable onCancel) {
    this.onCancel = onCancel;
  }

  Taken taken(NotifId id) {
    return taken.get(id);
  }

  /**
   * Journals a command: while replaying, checks it against the next journaled command and returns
   * that; while processing, writes it and returns {@code null}.
   */
  synchronized MessageLite command(MessageType type, MessageLite cmd) {
    checkOpen();
    commandIndex++;
    if (phase instanceof Phase.Replaying) {
      Entry e = popReplayedCommand();
      if (e.type() != type
          || !(type == MessageType.OUTPUT_COMMAND || sameCommand(type, e.message(), cmd))) {
        throw mismatch(e, type, cmd);
      }
      return e.message();
    }
    write(type, cmd);
    return null;
  }

  /** Like {@link #command} for operations whose journaled form may be either of two types. */
  synchronized Entry commandEither(
      MessageType type,
      MessageLite cmd,
      MessageType altType,
      java.util.function.Predicate<MessageLite> altMatches) {
    checkOpen();
    commandIndex++;
    if (phase instanceof Phase.Replaying) {
      Entry e = popReplayedCommand();
      boolean ok =
          (e.type() == type && sameCommand(type, e.message(), cmd))
              || (e.type() == altType && altMatches.test(e.message()));
      if (!ok) {
        throw mismatch(e, type, cmd);
      }
      return e;
    }
    write(type, cmd);
    return null;
  }

  private Entry popReplayedCommand() {
    takeNotificationsAtHead();
    Entry e = journal.pollFirst();
    if (e == null || !e.type().isCommand()) {
      throw new IllegalStateException("replaying without a journaled command");
    }
    replayCommandsLeft--;
    if (replayCommandsLeft == 0) {
      transition(new Phase.Processing());
    }
    return e;
  }

  private void takeNotificationsAtHead() {
    while (!journal.isEmpty() && journal.peekFirst().type().isNotification()) {
      take(journal.pollFirst());
    }
  }

  /** Takes the first notification of the journal (skipping replayed commands); false if none. */
  private boolean takeNext() {
    for (Iterator<Entry> it = journal.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.type().isNotification()) {
        it.remove();
        take(e);
        return true;
      }
    }
    return false;
  }

  private void take(Entry e) {
    NotificationTemplate n = (NotificationTemplate) e.message();
    NotifId id = NotifId.of(n);
    taken.putIfAbsent(id, new Taken(n, seq++));
    if (id.equals(NotifId.CANCEL)) {
      cancelPending = true;
    }
  }

  /** Whether a notification for this completion id was received (taken or still queued). */
  synchronized boolean hasNotification(int completionId) {
    NotifId id = new NotifId.Completion(completionId);
    if (taken.containsKey(id)) {
      return true;
    }
    for (Entry e : journal) {
      if (e.type().isNotification() && id.equals(NotifId.of((NotificationTemplate) e.message()))) {
        return true;
      }
    }
    return false;
  }

  /** Blocks until {@code result} completes; suspends when it cannot complete in this attempt. */
  synchronized <T> T await(AsyncResult<T> result) {
    while (true) {
      checkOpen();
      if (result.isDone(this)) {
        return result.value(this);
      }
      if (cancelPending && !cancelDelivered) {
        cancelDelivered = true;
        onCancel.run();
        throw new TerminalException(TerminalException.CONFLICT_CODE, "Cancelled");
      }
      if (takeNext()) {
        continue;
      }
      if (inputClosed && runsInFlight == 0) {
        suspend(result);
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort("interrupted");
        throw new ControlFlowSignal("interrupted");
      }
    }
  }

  private void suspend(AsyncResult<?> result) {
    Set<NotifId> ids = new LinkedHashSet<>();
    result.pendingIds(this, ids);
    SuspensionMessage.Builder s = SuspensionMessage.newBuilder();
    ids.stream()
        .filter(i -> i instanceof NotifId.Completion)
        .mapToInt(i -> ((NotifId.Completion) i).id())
        .sorted()
        .forEach(s::addWaitingCompletions);
    Set<Integer> signals = new java.util.TreeSet<>();
    signals.add(1);
    ids.stream()
        .filter(i -> i instanceof NotifId.Signal)
        .forEach(i -> signals.add(((NotifId.Signal) i).idx()));
    signals.forEach(s::addWaitingSignals);
    ids.stream()
        .filter(i -> i instanceof NotifId.NamedSignal)
        .forEach(i -> s.addWaitingNamedSignals(((NotifId.NamedSignal) i).name()));
    write(MessageType.SUSPENSION, s.build());
    close("suspended");
    throw new ControlFlowSignal("suspended");
  }

  synchronized void runStarted() {
    runsInFlight++;
  }

  synchronized void runFinished() {
    runsInFlight--;
    notifyAll();
  }

  /** Writes a message that is not a journal command (run proposals). */
  synchronized void writeControl(MessageType type, MessageLite msg) {
    checkOpen();
    write(type, msg);
  }

  /** Writes Output (journaled) and End. */
  public synchronized void end(MessageLite output) {
    command(MessageType.OUTPUT_COMMAND, output);
    write(MessageType.END, EndMessage.getDefaultInstance());
    close("ended");
  }

  /** Fails the attempt with an ErrorMessage (retried by the server); no-op when already closed. */
  public synchronized void writeError(
      int code, String message, String stacktrace, Long nextRetryDelayMs) {
    writeError(
        ErrorMessage.newBuilder()
            .setCode(code)
            .setMessage(message == null ? "" : message)
            .setStacktrace(stacktrace == null ? "" : stacktrace),
        nextRetryDelayMs);
  }

  synchronized void writeError(ErrorMessage.Builder error, Long nextRetryDelayMs) {
    if (phase instanceof Phase.Closed) {
      return;
    }
    if (nextRetryDelayMs != null) {
      error.setNextRetryDelay(nextRetryDelayMs);
    }
    write(MessageType.ERROR, error.build());
    close("failed");
  }

  /** Reads one state entry: eager from the local map when possible, else a lazy command. */
  synchronized AsyncResult<java.util.Optional<ByteString>> getState(ByteString key) {
    checkOpen();
    dev.resolute.protocol.pb.GetEagerStateCommandMessage.Builder eager =
        dev.resolute.protocol.pb.GetEagerStateCommandMessage.newBuilder().setKey(key);
    if (phase instanceof Phase.Replaying) {
      commandIndex++;
      Entry e = popReplayedCommand();
      if (e.type() == MessageType.GET_EAGER_STATE_COMMAND
          && ((dev.resolute.protocol.pb.GetEagerStateCommandMessage) e.message())
              .getKey()
              .equals(key)) {
        var g = (dev.resolute.protocol.pb.GetEagerStateCommandMessage) e.message();
        return new AsyncResult.Ready<>(
            g.hasValue()
                ? java.util.Optional.of(g.getValue().getContent())
                : java.util.Optional.empty(),
            null);
      }
      if (e.type() == MessageType.GET_LAZY_STATE_COMMAND) {
        var g = (dev.resolute.protocol.pb.GetLazyStateCommandMessage) e.message();
        int id = nextCompletionId++;
        if (g.getKey().equals(key) && g.getResultCompletionId() == id) {
          return lazyStateLeaf(id);
        }
      }
      throw mismatch(e, MessageType.GET_EAGER_STATE_COMMAND, eager.build());
    }
    ByteString value = state.get(key);
    if (value != null) {
      command(
          MessageType.GET_EAGER_STATE_COMMAND,
          eager.setValue(dev.resolute.protocol.pb.Value.newBuilder().setContent(value)).build());
      return new AsyncResult.Ready<>(java.util.Optional.of(value), null);
    }
    if (!partialState) {
      command(
          MessageType.GET_EAGER_STATE_COMMAND,
          eager.setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance()).build());
      return new AsyncResult.Ready<>(java.util.Optional.empty(), null);
    }
    int id = nextCompletionId++;
    command(
        MessageType.GET_LAZY_STATE_COMMAND,
        dev.resolute.protocol.pb.GetLazyStateCommandMessage.newBuilder()
            .setKey(key)
            .setResultCompletionId(id)
            .build());
    return lazyStateLeaf(id);
  }

  private static AsyncResult<java.util.Optional<ByteString>> lazyStateLeaf(int id) {
    return new AsyncResult.Leaf<>(
        new NotifId.Completion(id),
        n ->
            n.hasValue()
                ? java.util.Optional.of(n.getValue().getContent())
                : java.util.Optional.empty());
  }

  /** Lists the state keys: eager when the local map is complete, else lazy. */
  synchronized AsyncResult<java.util.List<String>> getStateKeys() {
    checkOpen();
    if (phase instanceof Phase.Replaying) {
      commandIndex++;
      Entry e = popReplayedCommand();
      if (e.type() == MessageType.GET_EAGER_STATE_KEYS_COMMAND) {
        var g = (dev.resolute.protocol.pb.GetEagerStateKeysCommandMessage) e.message();
        return new AsyncResult.Ready<>(keys(g.getValue()), null);
      }
      if (e.type() == MessageType.GET_LAZY_STATE_KEYS_COMMAND) {
        var g = (dev.resolute.protocol.pb.GetLazyStateKeysCommandMessage) e.message();
        int id = nextCompletionId++;
        if (g.getResultCompletionId() == id) {
          return new AsyncResult.Leaf<>(new NotifId.Completion(id), n -> keys(n.getStateKeys()));
        }
      }
      throw mismatch(
          e,
          MessageType.GET_EAGER_STATE_KEYS_COMMAND,
          dev.resolute.protocol.pb.GetEagerStateKeysCommandMessage.getDefaultInstance());
    }
    if (!partialState) {
      dev.resolute.protocol.pb.StateKeys.Builder keys =
          dev.resolute.protocol.pb.StateKeys.newBuilder();
      state.keySet().forEach(keys::addKeys);
      var cmd =
          dev.resolute.protocol.pb.GetEagerStateKeysCommandMessage.newBuilder()
              .setValue(keys)
              .build();
      command(MessageType.GET_EAGER_STATE_KEYS_COMMAND, cmd);
      return new AsyncResult.Ready<>(keys(cmd.getValue()), null);
    }
    int id = nextCompletionId++;
    command(
        MessageType.GET_LAZY_STATE_KEYS_COMMAND,
        dev.resolute.protocol.pb.GetLazyStateKeysCommandMessage.newBuilder()
            .setResultCompletionId(id)
            .build());
    return new AsyncResult.Leaf<>(new NotifId.Completion(id), n -> keys(n.getStateKeys()));
  }

  private static java.util.List<String> keys(dev.resolute.protocol.pb.StateKeys k) {
    java.util.List<String> out = new java.util.ArrayList<>();
    k.getKeysList().forEach(b -> out.add(b.toStringUtf8()));
    java.util.Collections.sort(out);
    return out;
  }

  synchronized Map<ByteString, ByteString> state() {
    return state;
  }

  synchronized boolean partialState() {
    return partialState;
  }

  synchronized void markStateComplete() {
    partialState = false;
  }

  // ---------------------------------------------------------------- helpers

  private ControlFlowSignal mismatch(Entry journaled, MessageType type, MessageLite attempted) {
    String message =
        String.format(
            "Journal mismatch at command index %d: the journal has %s%s but the handler code now does %s%s. "
                + "Was the code changed while this invocation was in flight?",
            commandIndex,
            journaled.type(),
            describe(journaled.message()),
            type,
            describe(attempted));
    ErrorMessage.Builder err =
        ErrorMessage.newBuilder()
            .setCode(JOURNAL_MISMATCH)
            .setMessage(message)
            .setRelatedCommandIndex(commandIndex)
            .setRelatedCommandType(type.code());
    String name = commandName(attempted);
    if (!name.isEmpty()) {
      err.setRelatedCommandName(name);
    }
    LOG.warn(message);
    writeError(err, null);
    return new ControlFlowSignal("journal mismatch");
  }

  private static String describe(MessageLite m) {
    String s = m.toString().replace('\n', ' ').trim();
    return s.isEmpty() ? "" : " {" + (s.length() > 300 ? s.substring(0, 300) + "…" : s) + "}";
  }

  static String commandName(MessageLite cmd) {
    if (cmd instanceof dev.resolute.protocol.pb.SendSignalCommandMessage s) {
      return s.getEntryName();
    }
    try {
      Object n = cmd.getClass().getMethod("getName").invoke(cmd);
      return n instanceof String str ? str : "";
    } catch (ReflectiveOperationException e) {
      return "";
    }
  }

  private static boolean sameCommand(
      MessageType type, MessageLite journaled, MessageLite attempted) {
    if (type == MessageType.SLEEP_COMMAND) {
      SleepCommandMessage a = (SleepCommandMessage) journaled;
      SleepCommandMessage b = (SleepCommandMessage) attempted;
      return a.getName().equals(b.getName())
          && a.getResultCompletionId() == b.getResultCompletionId();
    }
    if (type == MessageType.ONE_WAY_CALL_COMMAND) {
      return ((OneWayCallCommandMessage) journaled)
          .toBuilder()
              .clearInvokeTime()
              .build()
              .equals(((OneWayCallCommandMessage) attempted).toBuilder().clearInvokeTime().build());
    }
    return journaled.equals(attempted);
  }

  private void checkOpen() {
    if (phase instanceof Phase.Closed c) {
      throw new ControlFlowSignal("invocation attempt is closed: " + c.reason());
    }
  }

  private void write(MessageType type, MessageLite msg) {
    sink.write(Frame.of(type, msg));
  }

  private void close(String reason) {
    transition(new Phase.Closed(reason));
    sink.close();
    notifyAll();
  }

  private void transition(Phase to) {
    if (!Phase.canTransition(phase, to)) {
      throw new IllegalStateException("illegal invocation state transition " + phase + " -> " + to);
    }
    phase = to;
    if (handlerThread == Thread.currentThread()) {
      MDC.put(MDC_STATUS, to.statusName());
    }
  }

  private static long fallbackSeed(ByteString id) {
    long h = 1125899906842597L;
    for (byte b : id.toByteArray()) {
      h = 31 * h + b;
    }
    return h;
  }

  /** For tests: parses a frame payload with its type. */
  static MessageLite parse(Frame f) throws InvalidProtocolBufferException {
    return f.type().parse(f.payload());
  }
}
