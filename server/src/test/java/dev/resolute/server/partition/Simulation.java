package dev.resolute.server.partition;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.log.MemoryLog;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One seeded run of the deterministic simulation: the real partition processors and state machine
 * of one to three nodes over a shared {@link MemoryLog}, on virtual time and one thread, with
 * clients, random crashes and restarts, leader changes that leave the old leader running (it goes
 * on appending under its old epoch), delayed and reordered commits between partitions, and a
 * deployment whose attempts fail and suspend. Everything random comes from the seed, so a seed
 * replays exactly. {@link #run} returns the violations of the invariants found (none is a pass).
 */
final class Simulation {
  static final long START = 1_800_000_000_000L;
  static final long CHAOS_MILLIS = 3_000;
  static final long HEAL_MILLIS = 60_000;
  static final String[] KEYS = {"a", "b", "c"};

  final long seed;
  final Random rnd;
  final boolean verbose;
  long now = START;
  final int partitions;
  final Partitioning partitioning;
  final MemoryLog log;
  final SimNode[] nodes;

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long taskSeq;
  private final List<String> trace = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<Request> requests = new ArrayList<>();
  private final Map<InvocationId, Integer> runs = new HashMap<>();
  private final Set<InvocationId> committedInvokes = new HashSet<>();
  private int indexed;
  private boolean chaos = true;
  int crashes;
  int takeovers;

  private record Task(long time, long seq, SimNode node, long incarnation, Runnable r)
      implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
    }
  }

  /** A client's request: sent to some node, maybe again to another, answered at most once. */
  private static final class Request {
    final InvocationId id;
    final boolean parent;
    final String key;
    final boolean call;
    int sends;
    boolean acked;
    Outcome result;

    Request(InvocationId id, boolean parent, String key, boolean call) {
      this.id = id;
      this.parent = parent;
      this.key = key;
      this.call = call;
    }
  }

  Simulation(long seed, boolean verbose) {
    this.seed = seed;
    this.verbose = verbose;
    this.rnd = new Random(seed);
    this.partitions = 1 + rnd.nextInt(3);
    this.partitioning = new Partitioning(partitions);
    this.log = new MemoryLog(partitions);
    int n = rnd.nextInt(4) == 0 ? 1 : 2 + rnd.nextInt(2);
    this.nodes = new SimNode[n];
    for (int i = 0; i < n; i++) {
      nodes[i] = new SimNode(this, i + 1, i == 0 ? 0 : rnd.nextInt(101) - 50);
    }
  }

  /** Runs {@code r} after {@code delay} ms of virtual time, if {@code node}'s incarnation lives. */
  void at(long delay, SimNode node, long incarnation, Runnable r) {
    queue.add(new Task(now + delay, taskSeq++, node, incarnation, r));
  }

  void trace(SimNode node, String format, Object... args) {
    if (verbose) {
      trace.add(
          String.format(
              "%6d node %s: %s",
              now - START,
              node == null ? "-" : Integer.toString(node.id),
              String.format(format, args)));
    }
  }

  void ranEffect(InvocationId id) {
    runs.merge(id, 1, Integer::sum);
  }

  List<String> trace() {
    return trace;
  }

  List<String> run() {
    nodes[0].start();
    commitPump();
    int clients = 4 + rnd.nextInt(10);
    for (int i = 0; i < clients; i++) {
      at(rnd.nextInt((int) CHAOS_MILLIS), null, 0, this::newRequest);
    }
    at(100 + rnd.nextInt(500), null, 0, this::chaos);
    runUntil(START + CHAOS_MILLIS);
    chaos = false;
    heal();
    for (long t = now + 200; t < START + CHAOS_MILLIS + HEAL_MILLIS; t += 200) {
      runUntil(t);
      if (log.pendingCount() == 0 && leader().idle() && allCompleted(leader().store)) {
        break;
      }
    }
    check();
    return violations;
  }

  private void runUntil(long t) {
    while (!queue.isEmpty() && queue.peek().time <= t) {
      Task task = queue.poll();
      now = Math.max(now, task.time);
      if (task.node == null || (task.node.up && task.node.incarnation == task.incarnation)) {
        task.r.run();
      }
    }
    now = Math.max(now, t);
  }

  /** The log commits now and then: a few appends of one channel, picked at random. */
  private void commitPump() {
    at(
        rnd.nextInt(3),
        null,
        0,
        () -> {
          List<MemoryLog.Channel> ch = log.pendingChannels();
          if (!ch.isEmpty() && rnd.nextInt(5) != 0) {
            MemoryLog.Channel c = ch.get(rnd.nextInt(ch.size()));
            log.commit(c, 1 + rnd.nextInt(4));
          }
          commitPump();
        });
  }

  private List<SimNode> up() {
    List<SimNode> out = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n.up) {
        out.add(n);
      }
    }
    return out;
  }

  /** The node started last among those up (the one the others were superseded by). */
  private SimNode leader() {
    SimNode best = null;
    for (SimNode n : up()) {
      if (best == null || n.startedAt >= best.startedAt) {
        best = n;
      }
    }
    return best;
  }

  private void chaos() {
    if (!chaos) {
      return;
    }
    List<SimNode> up = up();
    int r = rnd.nextInt(10);
    if (up.isEmpty()) {
      nodes[rnd.nextInt(nodes.length)].start();
    } else if (r < 3) {
      crashes++;
      up.get(rnd.nextInt(up.size())).crash();
    } else if (r < 6 && up.size() < 2 && nodes.length > 1) {
      // a new leader takes over while the old one keeps running (paused, then resumed)
      List<SimNode> down = new ArrayList<>(Arrays.asList(nodes));
      down.removeAll(up);
      takeovers++;
      down.get(rnd.nextInt(down.size())).start();
    } else if (r == 6 && nodes.length == 1) {
      crashes++;
      nodes[0].crash();
      at(
          rnd.nextInt(300),
          null,
          0,
          () -> {
            if (!nodes[0].up) {
              nodes[0].start();
            }
          });
    }
    at(50 + rnd.nextInt(500), null, 0, this::chaos);
  }

  /**
   * The end of chaos: one node stays (the latest leader), the others crash. If its announcement
   * lost (another node announced the same epoch first), it restarts and announces again, as a
   * leader that finds itself fenced must.
   */
  private void heal() {
    SimNode keep = leader();
    if (keep == null) {
      keep = nodes[rnd.nextInt(nodes.length)];
      keep.start();
    }
    for (SimNode n : up()) {
      if (n != keep) {
        n.crash();
      }
    }
    log.commitAll();
    keep.view.deliver(Integer.MAX_VALUE);
    runUntil(now + 50);
    try (Store.Reader r = keep.store.reader()) {
      for (int p = 0; p < partitions; p++) {
        if (keep.appender().epoch(p) != Leadership.epoch(r, p)) {
          trace(keep, "fenced in partition %d: restarts", p);
          keep.crash();
          keep.start();
          break;
        }
      }
    }
    trace(keep, "heals");
  }

  // ---------------------------------------------------------------- clients

  private void newRequest() {
    boolean parent = rnd.nextBoolean();
    String key = KEYS[rnd.nextInt(KEYS.length)];
    byte[] uuid = new byte[16];
    rnd.nextBytes(uuid);
    long pk = parent ? PartitionKeys.bucket("Parent", rnd.nextInt(512)) : PartitionKeys.keyed(key);
    Request req = new Request(new InvocationId(pk, uuid), parent, key, rnd.nextBoolean());
    requests.add(req);
    send(req);
  }

  private void send(Request req) {
    if (req.acked || req.sends >= 4) {
      return;
    }
    List<SimNode> up = up();
    if (up.isEmpty()) {
      at(100, null, 0, () -> send(req));
      return;
    }
    SimNode node = rnd.nextInt(4) != 0 ? leader() : up.get(rnd.nextInt(up.size()));
    req.sends++;
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    long requestId = node.replies.register(answer);
    answer.whenComplete((a, e) -> onAnswer(req, node, a, e));
    Invoke.Builder inv =
        Invoke.newBuilder()
            .setInvocationId(ByteString.copyFrom(req.id.toBytes()))
            .setTarget(
                req.parent
                    ? SimDeployment.PARENT_RUN
                    : SimDeployment.COUNTER_ADD.toBuilder().setKey(req.key).build())
            .setInput(ByteString.copyFromUtf8(req.parent ? req.key : "1"))
            .setIngressRequest(requestId)
            .setIngressWantsResult(req.call);
    trace(
        node,
        "client sends %s (%s %s, call=%b)",
        req.id,
        req.parent ? "Parent" : "Counter",
        req.key,
        req.call);
    node.appender()
        .append(
            partitioning.partitionOf(req.id.partitionKey()),
            Envelope.newBuilder().setInvoke(inv).build());
    // no answer in time (a crashed node, a fenced leader): the client sends the same id again
    at(500 + rnd.nextInt(1500), null, 0, () -> send(req));
  }

  private void onAnswer(Request req, SimNode node, Answer a, Throwable e) {
    if (e != null) {
      return;
    }
    trace(node, "client answered %s: %s", req.id, a);
    indexCommitted();
    if (!committedInvokes.contains(req.id)) {
      violations.add("acknowledged before durable: " + req.id + " answered " + a);
    }
    req.acked = true;
    if (a instanceof Answer.Invoked inv) {
      req.result = inv.result().outcome();
    }
  }

  private void indexCommitted() {
    List<MemoryLog.Entry> c = log.committed();
    for (; indexed < c.size(); indexed++) {
      Envelope env = parse(c.get(indexed).payload());
      if (env.hasInvoke()) {
        committedInvokes.add(
            InvocationId.fromBytes(env.getInvoke().getInvocationId().toByteArray()));
      }
    }
  }

  private static Envelope parse(byte[] payload) {
    try {
      return Envelope.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- invariants

  private boolean allCompleted(Store store) {
    try (Store.Reader r = store.reader()) {
      for (int p = 0; p < partitions; p++) {
        for (Object[] e : new Tables(p).on(r).allStatuses()) {
          if (((InvocationStatus) e[1]).getPhase() != InvocationStatus.Phase.COMPLETED) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Applies the whole committed log to an empty store, as a new replica would. */
  private MemoryStore replica(MemoryStore store) {
    StateMachine[] sms = new StateMachine[partitions];
    long[] applied = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      sms[p] = new StateMachine(p, partitioning);
      applied[p] = PartitionProcessor.appliedLsn(store, p);
    }
    List<Effect> ignored = new ArrayList<>();
    try (Store.Batch b = store.begin()) {
      for (MemoryLog.Entry e : log.committed()) {
        if (e.lsn() > applied[e.partition()]) {
          sms[e.partition()].apply(b, e.lsn(), parse(e.payload()), ignored);
          ignored.clear();
        }
      }
      b.commit();
    }
    return store;
  }

  private void check() {
    SimNode leader = leader();
    if (!(log.pendingCount() == 0 && leader.idle() && allCompleted(leader.store))) {
      violations.add("not every invocation completed within " + HEAL_MILLIS + " ms after chaos");
    }
    // deterministic apply: the leader's store, a replica of the whole log, and every node's
    // durable store brought up to date are the same, byte for byte
    TreeMap<byte[], byte[]> reference = SimStore.dump(replica(new MemoryStore()));
    compare("the leader's store (node " + leader.id + ")", SimStore.dump(leader.store), reference);
    for (SimNode n : nodes) {
      if (!n.everStarted) {
        continue; // an empty store: the replica above
      }
      compare(
          "node " + n.id + "'s durable store after replay",
          SimStore.dump(replica(n.store.durableCopy())),
          reference);
    }
    MemoryStore ref = SimStore.load(reference);
    Map<InvocationId, InvocationStatus> statuses = new HashMap<>();
    Map<String, Long> counts = new HashMap<>();
    try (Store.Reader r = ref.reader()) {
      for (int p = 0; p < partitions; p++) {
        Tables t = new Tables(p).on(r);
        for (Object[] e : t.allStatuses()) {
          statuses.put((InvocationId) e[0], (InvocationStatus) e[1]);
        }
        for (String k : KEYS) {
          byte[] v = t.state("Counter", k, "count".getBytes(StandardCharsets.UTF_8));
          if (v != null) {
            counts.merge(k, Long.parseLong(new String(v, StandardCharsets.UTF_8)), Long::sum);
          }
        }
      }
    }
    // exactly once: each parent created one child, each add counted once
    Map<InvocationId, Integer> children = new HashMap<>();
    Map<String, Long> adds = new HashMap<>();
    statuses.forEach(
        (id, st) -> {
          if (st.getTarget().getService().equals("Counter")) {
            adds.merge(st.getTarget().getKey(), 1L, Long::sum);
            if (!st.getInvokedById().isEmpty()) {
              InvocationId parent = InvocationId.fromBytes(st.getInvokedById().toByteArray());
              children.merge(parent, 1, Integer::sum);
              if (!statuses.containsKey(parent)) {
                violations.add("child " + id + " of unknown parent " + parent);
              }
            }
          }
        });
    statuses.forEach(
        (id, st) -> {
          if (st.getTarget().getService().equals("Parent")) {
            int c = children.getOrDefault(id, 0);
            if (c != 1) {
              violations.add("parent " + id + " created " + c + " child calls (expected 1)");
            }
          }
        });
    for (String k : KEYS) {
      long have = counts.getOrDefault(k, 0L);
      long want = adds.getOrDefault(k, 0L);
      if (have != want) {
        violations.add("counter " + k + " = " + have + " after " + want + " add invocations");
      }
    }
    for (Request req : requests) {
      InvocationStatus st = statuses.get(req.id);
      if (req.acked && (st == null || st.getPhase() != InvocationStatus.Phase.COMPLETED)) {
        violations.add(
            "acknowledged " + req.id + " is " + (st == null ? "missing" : st.getPhase()));
      }
      if (req.result != null && !(req.result instanceof Outcome.Success)) {
        violations.add("call " + req.id + " answered " + req.result);
      }
    }
  }

  private void compare(String what, TreeMap<byte[], byte[]> got, TreeMap<byte[], byte[]> want) {
    if (got.size() != want.size()) {
      violations.add(what + " has " + got.size() + " keys, the replica " + want.size());
    }
    for (Map.Entry<byte[], byte[]> e : want.entrySet()) {
      byte[] v = got.get(e.getKey());
      if (!Arrays.equals(v, e.getValue())) {
        violations.add(what + " differs from a replica of the log at key " + printable(e.getKey()));
        return;
      }
    }
  }

  private static String printable(byte[] key) {
    StringBuilder b = new StringBuilder();
    for (byte x : key) {
      b.append(x >= 32 && x < 127 ? String.valueOf((char) x) : String.format("\\x%02x", x));
    }
    return b.toString();
  }

  String summary() {
    return String.format(
        "seed %d: %d partitions, %d nodes, %d requests, %d records, %d crashes, %d takeovers,"
            + " %d tasks, %d ms virtual",
        seed,
        partitions,
        nodes.length,
        requests.size(),
        log.lastLsn(),
        crashes,
        takeovers,
        taskSeq,
        now - START);
  }
}
