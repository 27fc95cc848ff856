package dev.resolute.server.invoker;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.metrics.InvokerMetrics;
import dev.resolute.server.partition.Appender;
import dev.resolute.server.partition.Effect;
import dev.resolute.server.partition.InvokerPort;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.schema.Schemas;
import dev.resolute.server.tracing.Tracing;
import dev.resolute.server.transport.DeploymentClient;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Runs invocation attempts against deployments: one {@link AttemptSession} per live attempt. Every
 * message a deployment sends becomes a log record for the invocation's partition; nothing the
 * deployment says changes state before that record is applied.
 *
 * <p>At most {@link InvokerOptions#concurrentInvocationsLimit()} attempts are in flight (restate's
 * {@code worker.invoker.concurrent-invocations-limit}); later ones wait in arrival order, without a
 * timer running, and start when a running one ends, fails or is cancelled. Waiting is not failing:
 * nothing is recorded for a queued attempt until it runs.
 */
public final class Invoker implements InvokerPort {
  private final DeploymentClient client;
  private final Schemas schemas;
  private final Appender appender;
  private final ScheduledExecutorService scheduler;
  private volatile Supplier<ScheduledExecutorService> localTimers = () -> null;
  private final InvokerOptions options;
  private final CommandValidator validator;
  private final LongSupplier nanoTime;
  private final Supplier<RandomGenerator> random;
  private final ConcurrentHashMap<InvocationId, AttemptSession> live = new ConcurrentHashMap<>();
  private volatile InvokerMetrics metrics = InvokerMetrics.none();
  private volatile Tracing tracing = Tracing.disabled();

  /** Guards {@link #running}, {@link #waiting} and every session's slot flag. */
  private final Object slots = new Object();

  private int running;
  private final ArrayDeque<AttemptSession> waiting = new ArrayDeque<>();

  /**
   * deployment uri + service + handler -> the invoke URI: parsing URIs was a tenth of starting an
   * attempt.
   */
  private final ConcurrentHashMap<String, java.net.URI> invokeUris = new ConcurrentHashMap<>();

  public Invoker(
      DeploymentClient client,
      Schemas schemas,
      Appender appender,
      ScheduledExecutorService scheduler,
      InvokerOptions options) {
    this(
        client,
        schemas,
        appender,
        scheduler,
        options,
        System::nanoTime,
        ThreadLocalRandom::current);
  }

  /**
   * @param nanoTime the ticker of the attempts' inactivity/abort deadlines
   * @param random the source of retry jitter, asked on the failing attempt's thread
   */
  Invoker(
      DeploymentClient client,
      Schemas schemas,
      Appender appender,
      ScheduledExecutorService scheduler,
      InvokerOptions options,
      LongSupplier nanoTime,
      Supplier<RandomGenerator> random) {
    this.client = client;
    this.schemas = schemas;
    this.appender = appender;
    this.scheduler = scheduler;
    this.options = options;
    this.validator = new CommandValidator(schemas);
    this.nanoTime = nanoTime;
    this.random = random;
  }

  /** Where attempts are recorded; none until set. */
  public void metrics(InvokerMetrics m) {
    this.metrics = m;
  }

  InvokerMetrics metrics() {
    return metrics;
  }

  /** Where attempt and command spans go; none until set. */
  public void tracing(Tracing t) {
    this.tracing = t;
  }

  Tracing tracing() {
    return tracing;
  }

  @Override
  public void start(int partition, Effect.StartAttempt attempt) {
    metrics.enqueued(partition);
    AttemptSession s = new AttemptSession(this, partition, attempt);
    AttemptSession previous = live.put(attempt.id(), s);
    if (previous != null) {
      previous.cancel();
      release(previous);
    }
    boolean now;
    synchronized (slots) {
      now = running < options.concurrentInvocationsLimit();
      if (now) {
        running++;
        s.slot = true;
      } else {
        waiting.addLast(s);
      }
    }
    if (now) {
      s.start();
    }
  }

  /**
   * Gives {@code s}'s slot (if it holds one) to the first waiting attempt that was not cancelled
   * meanwhile, and starts it; a waiting {@code s} leaves the queue. Idempotent per session.
   */
  private void release(AttemptSession s) {
    AttemptSession next = null;
    synchronized (slots) {
      if (!s.slot) {
        waiting.remove(s);
        return;
      }
      s.slot = false;
      running--;
      while (!waiting.isEmpty()) {
        AttemptSession w = waiting.pollFirst();
        if (live.get(w.id()) == w) {
          next = w;
          running++;
          w.slot = true;
          break;
        }
      }
    }
    if (next != null) {
      next.start();
    }
  }

  /** Attempts in flight (holding a slot). */
  public int runningAttempts() {
    synchronized (slots) {
      return running;
    }
  }

  /** Attempts waiting for a slot. */
  public int waitingAttempts() {
    synchronized (slots) {
      return waiting.size();
    }
  }

  @Override
  public void forward(InvocationId id, int attempt, JournalEntry entry) {
    AttemptSession s = live.get(id);
    if (s != null && s.attempt() == attempt) {
      s.forward(entry);
    }
  }

  @Override
  public void abort(InvocationId id) {
    AttemptSession s = live.remove(id);
    if (s != null) {
      s.cancel();
      release(s);
    }
  }

  /**
   * Cancels every attempt of {@code partition}: this node no longer leads it. Their appends that
   * are still in flight carry the old leader epoch, which the new leader's announcement fences.
   */
  @Override
  public void abortPartition(int partition) {
    for (AttemptSession s : live.values()) {
      if (s.partition() == partition) {
        abort(s.id());
      }
    }
  }

  java.net.URI invokeUri(String deploymentUri, String service, String handler) {
    if (invokeUris.size() > 10_000) {
      invokeUris.clear(); // deployments come and go; never let this grow without bound
    }
    return invokeUris.computeIfAbsent(
        deploymentUri + '\n' + service + '\n' + handler,
        k ->
            dev.resolute.server.discovery.DiscoveryClient.endpointUri(
                java.net.URI.create(deploymentUri), "invoke/" + service + "/" + handler));
  }

  void finished(AttemptSession s) {
    live.remove(s.id(), s);
    release(s);
  }

  public int liveAttempts() {
    return live.size();
  }

  DeploymentClient client() {
    return client;
  }

  Schemas schemas() {
    return schemas;
  }

  Appender appender() {
    return appender;
  }

  /**
   * Schedules one of an attempt's own timers (its inactivity/abort check, the flush of held
   * commands) on the calling thread's event loop when it runs on one ({@link #localTimers}), else
   * on the shared scheduler. On the loop that reads the attempt's frames, arming and cancelling
   * costs no thread wake-up: on the shared scheduler's thread every timer that became its earliest
   * woke it (at one request in flight, each held output's 50 ms flush timer, armed and cancelled
   * within the same read). A loop's timers fire to the millisecond, which these need, not the
   * journal's timers ({@code ctx.sleep}), which stay on the shared scheduler.
   */
  ScheduledFuture<?> scheduleTimer(Runnable task, long delay, TimeUnit unit) {
    ScheduledExecutorService local = localTimers.get();
    return (local != null ? local : scheduler).schedule(task, delay, unit);
  }

  /**
   * Where {@link #scheduleTimer} schedules: the calling thread's event loop, or null for the shared
   * scheduler (the default, and on any thread that is not an event loop).
   */
  public void localTimers(Supplier<ScheduledExecutorService> currentLoop) {
    this.localTimers = currentLoop;
  }

  InvokerOptions options() {
    return options;
  }

  CommandValidator validator() {
    return validator;
  }

  LongSupplier nanoTime() {
    return nanoTime;
  }

  RandomGenerator random() {
    return random.get();
  }
}
