package dev.resolute.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load: {@code inFlight} workers, each with its own keep-alive connection, send the
 * next request as soon as the previous one is answered, for a warm-up and then a measured window.
 * Only requests started inside the measured window are recorded; throughput is their count divided
 * by the window.
 */
public final class LoadGen {
  /** One request; {@code tag} is handed back to {@link Source#onSuccess} (e.g. a key index). */
  public record Request(String method, String path, byte[] body, int tag) {
    public static Request post(String path, String json, int tag) {
      return new Request("POST", path, json.getBytes(StandardCharsets.UTF_8), tag);
    }
  }

  /** Produces requests; called concurrently from all workers. */
  public interface Source {
    Request next(int worker, long seq);

    /** A 2xx answer; default: nothing. */
    default void onSuccess(Request r, HttpConn.Response response) {}
  }

  /** Outcome of a run; latencies are sorted, in nanoseconds. */
  public record Result(long ok, long errors, double seconds, long[] latencies, String firstError) {
    public double throughput() {
      return ok / seconds;
    }

    public double percentileMillis(double p) {
      if (latencies.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
      return latencies[Math.max(0, Math.min(latencies.length - 1, i))] / 1e6;
    }

    public double maxMillis() {
      return latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e6;
    }
  }

  /**
   * How one worker sends its requests, one at a time: a keep-alive HTTP connection ({@link
   * HttpConn}), or a call into a node in the same JVM (the embedded mode).
   */
  public interface Conn extends java.io.Closeable {
    HttpConn.Response send(String method, String path, byte[] body) throws java.io.IOException;
  }

  /** Opens one worker's {@link Conn}. */
  @FunctionalInterface
  public interface Conns {
    Conn open() throws java.io.IOException;
  }

  private LoadGen() {}

  public static Result run(
      String host, int port, int inFlight, Duration warmup, Duration measure, Source source)
      throws InterruptedException {
    return run(inFlight, warmup, measure, source, () -> new HttpConn(host, port, 60_000));
  }

  /** As {@link #run(String, int, int, Duration, Duration, Source)}, each worker on its own conn. */
  public static Result run(
      int inFlight, Duration warmup, Duration measure, Source source, Conns conns)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long measureTo = measureFrom + measure.toNanos();
    long[][] lat = new long[inFlight][];
    int[] counts = new int[inFlight];
    long[] errors = new long[inFlight];
    AtomicReference<String> firstError = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(inFlight);
    for (int w = 0; w < inFlight; w++) {
      int worker = w;
      Thread t =
          new Thread(
              () -> {
                long[] mine = new long[4096];
                int n = 0;
                long seq = 0;
                try (Conn conn = conns.open()) {
                  while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= measureTo) {
                      break;
                    }
                    Request r = source.next(worker, seq++);
                    boolean ok;
                    String err = null;
                    HttpConn.Response resp = null;
                    try {
                      resp = conn.send(r.method(), r.path(), r.body());
                      ok = resp.status() / 100 == 2;
                      if (!ok) {
                        err = r.path() + " -> " + resp.status() + " " + resp.text();
                      }
                    } catch (Exception e) {
                      ok = false;
                      err = r.path() + " -> " + e;
                    }
                    long t1 = System.nanoTime();
                    if (ok) {
                      source.onSuccess(r, resp);
                    } else {
                      firstError.compareAndSet(null, err);
                    }
                    if (t0 >= measureFrom) {
                      if (ok) {
                        if (n == mine.length) {
                          mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = t1 - t0;
                      } else {
                        errors[worker]++;
                      }
                    }
                    if (!ok) {
                      Thread.sleep(10); // do not spin on a failing server
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (java.io.IOException e) {
                  firstError.compareAndSet(null, "cannot open a connection: " + e);
                } finally {
                  lat[worker] = mine;
                  counts[worker] = n;
                  done.countDown();
                }
              },
              "load-" + w);
      t.setDaemon(true);
      t.start();
    }
    done.await();
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    long[] all = new long[total];
    int at = 0;
    long errs = 0;
    for (int w = 0; w < inFlight; w++) {
      System.arraycopy(lat[w], 0, all, at, counts[w]);
      at += counts[w];
      errs += errors[w];
    }
    Arrays.sort(all);
    return new Result(total, errs, measure.toNanos() / 1e9, all, firstError.get());
  }
}
