package dev.resolute.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event loops that append while the writer thread is parked write the batch themselves ({@link
 * LocalLog#leadOn}): on that loop, in a task of its own, with the same order and durability as the
 * writer thread.
 */
class LocalLogLeadTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A single-thread executor standing for an event loop; {@link #current} names it on its thread.
   */
  static final class Loop implements AutoCloseable {
    final ExecutorService exec;
    final Thread thread;

    Loop(String name) throws Exception {
      CompletableFuture<Thread> t = new CompletableFuture<>();
      exec =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread th = new Thread(r, name);
                th.setDaemon(true);
                return th;
              });
      exec.execute(() -> t.complete(Thread.currentThread()));
      thread = t.get();
    }

    @Override
    public void close() {
      exec.shutdownNow();
    }
  }

  private static void awaitParked(LocalLog log) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!log.writerParked() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(log.writerParked()).isTrue();
  }

  @Test
  void anEventLoopAppendingWhileTheWriterIsParkedWritesAndDeliversTheBatchItself()
      throws Exception {
    try (Loop loop = new Loop("loop-a")) {
      LocalLog log = LocalLog.open(dir, 1);
      log.leadOn(() -> Thread.currentThread() == loop.thread ? loop.exec : null);
      List<String> seen = new CopyOnWriteArrayList<>();
      log.subscribe(
          0,
          (p, lsn, payload) ->
              seen.add(
                  lsn
                      + ":"
                      + new String(payload, StandardCharsets.UTF_8)
                      + "@"
                      + Thread.currentThread().getName()
                      + "/"
                      + log.isWriterThread()));
      List<String> batchEnds = new CopyOnWriteArrayList<>();
      log.onBatchEnd(idle -> batchEnds.add(Thread.currentThread().getName() + "/" + idle));
      awaitParked(log);
      // the append returns before its records are delivered: they are delivered by a task after
      CompletableFuture<List<String>> seenInsideAppend = new CompletableFuture<>();
      CompletableFuture<Long> appended = new CompletableFuture<>();
      loop.exec.execute(
          () -> {
            log.append(0, b("a")).whenComplete((lsn, t) -> appended.complete(lsn));
            seenInsideAppend.complete(List.copyOf(seen));
          });
      assertThat(appended.get(5, TimeUnit.SECONDS)).isEqualTo(1);
      CompletableFuture.runAsync(() -> {}, loop.exec).get(); // the lead task has ended
      assertThat(seenInsideAppend.get()).isEmpty();
      assertThat(seen).containsExactly("1:a@loop-a/true");
      assertThat(batchEnds).containsExactly("loop-a/true");

      // any other thread: the writer thread writes
      assertThat(log.append(0, b("b")).get(5, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(seen.get(1)).isEqualTo("2:b@log-writer/true");
      log.close();
    }
    List<String> replayed = new ArrayList<>();
    LocalLog again = LocalLog.open(dir, 1);
    again.replay(
        new long[] {0},
        (p, lsn, payload) -> replayed.add(lsn + ":" + new String(payload, StandardCharsets.UTF_8)));
    again.close();
    assertThat(replayed).containsExactly("1:a", "2:b");
  }

  @Test
  void anAppendDuringALeadersOwnBatchIsWrittenByTheWriterThreadAfterIt() throws Exception {
    try (Loop loop = new Loop("loop-b")) {
      LocalLog log = LocalLog.open(dir, 1);
      log.leadOn(() -> Thread.currentThread() == loop.thread ? loop.exec : null);
      List<String> seen = new CopyOnWriteArrayList<>();
      CompletableFuture<Long> nested = new CompletableFuture<>();
      log.subscribe(
          0,
          (p, lsn, payload) -> {
            String s = new String(payload, StandardCharsets.UTF_8);
            seen.add(lsn + ":" + s + "@" + Thread.currentThread().getName());
            if (s.equals("first")) {
              // as an effect that appends while its record is applied: no second lead inside it
              log.append(0, b("second"))
                  .whenComplete(
                      (l, t) -> {
                        if (t != null) {
                          nested.completeExceptionally(t);
                        } else {
                          nested.complete(l);
                        }
                      });
            }
          });
      awaitParked(log);
      loop.exec.execute(() -> log.append(0, b("first")));
      assertThat(nested.get(5, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(seen).containsExactly("1:first@loop-b", "2:second@log-writer");
      log.close();
    }
  }

  @Test
  void anAppendWhoseLeadTaskNeverRunsIsStillWrittenByTheWriterThread() throws Exception {
    LocalLog log = LocalLog.open(dir, 1);
    List<Runnable> stuck = new CopyOnWriteArrayList<>();
    Thread me = Thread.currentThread();
    // a loop too busy to run the lead task: the writer thread wakes on its own within its park
    log.leadOn(() -> Thread.currentThread() == me ? stuck::add : null);
    awaitParked(log);
    assertThat(log.append(0, b("a")).get(5, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(stuck).hasSize(1);
    stuck.get(0).run(); // runs late: finds nothing to write
    assertThat(log.append(0, b("b")).get(5, TimeUnit.SECONDS)).isEqualTo(2);
    log.close();
  }

  @Test
  void loopsAndOtherThreadsAppendingAtOnceLoseNothingAndDeliverInLsnOrder() throws Exception {
    int loops = 3;
    int threads = 3;
    int perAppender = 1500;
    List<Loop> ls = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      ls.add(new Loop("loop-" + i));
    }
    LocalLog log = LocalLog.open(dir, 2);
    log.leadOn(
        () -> {
          for (Loop l : ls) {
            if (Thread.currentThread() == l.thread) {
              return l.exec;
            }
          }
          return null;
        });
    AtomicLong last = new AtomicLong();
    AtomicInteger outOfOrder = new AtomicInteger();
    AtomicInteger delivered = new AtomicInteger();
    AtomicInteger byLoops = new AtomicInteger();
    Log.RecordConsumer c =
        (p, lsn, payload) -> {
          if (lsn != last.get() + 1) {
            outOfOrder.incrementAndGet();
          }
          last.set(lsn);
          delivered.incrementAndGet();
          if (Thread.currentThread().getName().startsWith("loop-")) {
            byLoops.incrementAndGet();
          }
        };
    log.subscribe(0, c);
    log.subscribe(1, c);
    List<CompletableFuture<Long>> futures = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(loops + threads);
    for (int i = 0; i < loops; i++) {
      Loop l = ls.get(i);
      int partition = i % 2;
      // one append per task, as an event loop handles one message at a time
      AtomicInteger left = new AtomicInteger(perAppender);
      Runnable[] step = new Runnable[1];
      step[0] =
          () -> {
            futures.add(log.append(partition, b("x")));
            if (left.decrementAndGet() > 0) {
              l.exec.execute(step[0]);
            } else {
              done.countDown();
            }
          };
      l.exec.execute(step[0]);
    }
    for (int i = 0; i < threads; i++) {
      int partition = i % 2;
      Thread t =
          new Thread(
              () -> {
                for (int k = 0; k < perAppender; k++) {
                  futures.add(log.append(partition, b("y")));
                  if (k % 100 == 0) {
                    Thread.onSpinWait();
                  }
                }
                done.countDown();
              });
      t.start();
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    for (CompletableFuture<Long> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    int total = (loops + threads) * perAppender;
    assertThat(futures).hasSize(total);
    assertThat(delivered.get()).isEqualTo(total);
    assertThat(outOfOrder.get()).isZero();
    assertThat(last.get()).isEqualTo(total);
    log.close();
    ls.forEach(Loop::close);
    AtomicInteger replayed = new AtomicInteger();
    LocalLog again = LocalLog.open(dir, 2);
    again.replay(new long[] {0, 0}, (p, lsn, payload) -> replayed.incrementAndGet());
    again.close();
    assertThat(replayed.get()).isEqualTo(total);
  }
}
