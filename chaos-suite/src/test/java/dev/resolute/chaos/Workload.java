package dev.resolute.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The bounded concurrent load: {@code workers} threads, each doing one {@link Op} at a time until
 * {@link #stopNewOps()}, then finishing the one in hand. Every request carries an idempotency key;
 * one that fails (no answer, a connection refused while the server is down, a 5xx) is sent again
 * with the same key until it is acknowledged or {@code giveUpAt} passes. The ingress port is read
 * before every attempt, since a restarted server binds a new one.
 */
final class Workload {
  static final int ADD_KEYS = 16;
  static final int DELAY_KEYS = 8;
  static final int CHAIN_KEYS = 8;
  static final long MAX_DELAY_MS = 3000;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final IntSupplier ingressPort;
  private final long seed;
  private final int workers;
  private final List<Thread> threads = new java.util.ArrayList<>();
  private final AtomicLong nextSeq = new AtomicLong();
  final Queue<Op> ops = new ConcurrentLinkedQueue<>();

  /**
   * Requests sent (retries included), requests that failed and were retried, unexpected answers.
   */
  final AtomicLong requests = new AtomicLong();

  final AtomicLong retried = new AtomicLong();
  final Queue<String> errors = new ConcurrentLinkedQueue<>();
  private volatile boolean stopNew;
  private volatile long giveUpAt = Long.MAX_VALUE;

  Workload(IntSupplier ingressPort, long seed, int workers) {
    this.ingressPort = ingressPort;
    this.seed = seed;
    this.workers = workers;
  }

  void start() {
    for (int w = 0; w < workers; w++) {
      Random rnd = new Random(seed * 31 + w);
      Thread t = new Thread(() -> loop(rnd), "chaos-load-" + w);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  void stopNewOps() {
    stopNew = true;
  }

  /** Waits for the ops in hand to be acknowledged, sending again until {@code timeout}. */
  void finish(Duration timeout) throws InterruptedException {
    giveUpAt = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      t.join(timeout.toMillis() + 5000);
    }
  }

  private void loop(Random rnd) {
    while (!stopNew) {
      Op op = next(rnd);
      ops.add(op);
      try {
        run(op);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Op next(Random rnd) {
    long seq = nextSeq.incrementAndGet();
    int r = rnd.nextInt(100);
    if (r < 40) {
      return new Op(seq, Op.Kind.ADD, "add-" + rnd.nextInt(ADD_KEYS), 0);
    } else if (r < 55) {
      return new Op(
          seq, Op.Kind.DELAYED_ADD, "delay-" + rnd.nextInt(DELAY_KEYS), 100 + rnd.nextInt(2900));
    } else if (r < 75) {
      return new Op(seq, Op.Kind.STEP, "", 0);
    } else if (r < 90) {
      return new Op(
          seq, Op.Kind.CHAIN, Integer.toString(rnd.nextInt(CHAIN_KEYS)), rnd.nextInt(2000));
    } else {
      return new Op(seq, Op.Kind.FLOW, "wf-" + seq, 0);
    }
  }

  private void run(Op op) throws InterruptedException {
    String result;
    switch (op.kind) {
      case ADD -> result = request(op, "/Tally/" + op.key + "/add", "1", 200);
      case DELAYED_ADD ->
          result =
              request(op, "/Tally/" + op.key + "/add/send?delay=" + op.millis + "ms", "1", 202);
      case STEP -> result = request(op, "/Steps/step", json(op.id()), 200);
      case CHAIN ->
          result = request(op, "/Chain/chain", json(op.id() + " " + op.key + " " + op.millis), 200);
      case FLOW -> {
        result = request(op, "/Flow/" + op.key + "/run/send", json("in-" + op.seq), 202);
        if (result != null) {
          result = request(op, "/Flow/" + op.key + "/approve", json("go-" + op.seq), 200);
        }
      }
      default -> throw new IllegalStateException(op.kind.toString());
    }
    if (result != null) {
      op.result = result;
      op.ackedAt = System.nanoTime();
      op.acked = true;
    }
  }

  static String json(String s) {
    return "\"" + s + "\"";
  }

  /**
   * Sends until the expected status comes back (returns the body) or {@code giveUpAt} passes, or an
   * answer that no retry can change arrives (recorded in {@link #errors}); null then.
   */
  private String request(Op op, String path, String body, int expected)
      throws InterruptedException {
    // the idempotency key names the op and the step, so each step of a FLOW is deduplicated alone;
    // a workflow's run takes none (it is deduplicated by the workflow id; a key is a 400)
    String key =
        path.endsWith("/run/send") ? null : op.id() + (path.endsWith("/approve") ? "-approve" : "");
    long backoff = 50;
    while (System.nanoTime() < giveUpAt) {
      requests.incrementAndGet();
      try {
        HttpRequest.Builder b =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingressPort.getAsInt() + path))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
          b.header("idempotency-key", key);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == expected) {
          return r.body();
        }
        if (r.statusCode() < 500 && r.statusCode() != 429) {
          errors.add(op + " " + path + ": " + r.statusCode() + " " + r.body());
          return null;
        }
      } catch (IOException e) {
        // no answer: the server or the connection went away; the same key is sent again
      }
      retried.incrementAndGet();
      Thread.sleep(backoff);
      backoff = Math.min(500, backoff * 2);
    }
    return null;
  }
}
