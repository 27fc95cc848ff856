package dev.resolute.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A workload: how many requests in flight, what each request is, and an optional check after the
 * load (counters must equal the acknowledged adds; sends must drain).
 */
abstract class Scenario {
  final String name;
  final int inFlight;
  final String description;

  Scenario(String name, int inFlight, String description) {
    this.name = name;
    this.inFlight = inFlight;
    this.description = description;
  }

  /** A fresh request source for one run; {@code run} makes keys unique per run. */
  abstract LoadGen.Source source(String run);

  /** Runs after the load; returns a short note for the report (empty if nothing to say). */
  String after(String host, int port) throws Exception {
    return "";
  }

  static List<Scenario> all() {
    List<Scenario> s = new ArrayList<>();
    s.add(simple("echo-1", 1, "Echo/echo, 1 in flight", "/Echo/echo", "\"hi\""));
    s.add(simple("echo-64", 64, "Echo/echo, 64 in flight", "/Echo/echo", "\"hi\""));
    s.add(new CounterScenario("counter-hot", 64, 1, false, "Counter/add on 1 key, 64 in flight"));
    s.add(
        new CounterScenario(
            "counter-1000", 64, 1000, false, "Counter/add on 1000 keys, 64 in flight"));
    s.add(simple("steps-1", 1, "3 sequential ctx.run, 1 in flight", "/Steps/three", "\"s\""));
    s.add(simple("steps-64", 64, "3 sequential ctx.run, 64 in flight", "/Steps/three", "\"s\""));
    s.add(
        simple(
            "call-1",
            1,
            "service-to-service call (Caller -> Echo), 1 in flight",
            "/Caller/call",
            "\"c\""));
    s.add(simple("call-64", 64, "service-to-service call, 64 in flight", "/Caller/call", "\"c\""));
    s.add(
        new CounterScenario(
            "send-64",
            64,
            100,
            true,
            "Counter/add/send on 100 keys (acknowledged throughput), then drained"));
    s.add(simple("sleep-1", 1, "ctx.sleep(10 ms), 1 in flight", "/Sleeper/sleep", "10"));
    s.add(simple("sleep-64", 64, "ctx.sleep(10 ms), 64 in flight", "/Sleeper/sleep", "10"));
    s.add(
        new Scenario(
            "workflow-64", 64, "Flow/<new id>/run (one step, one state write), 64 in flight") {
          @Override
          LoadGen.Source source(String run) {
            return (w, seq) ->
                LoadGen.Request.post("/Flow/" + run + "-" + w + "-" + seq + "/run", "\"w\"", 0);
          }
        });
    return s;
  }

  static Scenario simple(String name, int inFlight, String description, String path, String body) {
    return new Scenario(name, inFlight, description) {
      @Override
      LoadGen.Source source(String run) {
        LoadGen.Request r = LoadGen.Request.post(path, body, 0);
        return (w, seq) -> r;
      }
    };
  }

  /** Counter adds (call or send); afterwards every key's total must equal its acknowledged adds. */
  static final class CounterScenario extends Scenario {
    private final int keys;
    private final boolean send;
    private AtomicLongArray acked;
    private String run;
    private final AtomicLong rnd = new AtomicLong(0x9E3779B97F4A7C15L);

    CounterScenario(String name, int inFlight, int keys, boolean send, String description) {
      super(name, inFlight, description);
      this.keys = keys;
      this.send = send;
    }

    @Override
    LoadGen.Source source(String run) {
      this.run = run;
      this.acked = new AtomicLongArray(keys);
      String suffix = send ? "/add/send" : "/add";
      String[] paths = new String[keys];
      for (int k = 0; k < keys; k++) {
        paths[k] = "/Counter/" + run + "-" + k + suffix;
      }
      return new LoadGen.Source() {
        @Override
        public LoadGen.Request next(int worker, long seq) {
          int k = keys == 1 ? 0 : (int) Long.remainderUnsigned(mix(rnd.incrementAndGet()), keys);
          return LoadGen.Request.post(paths[k], "1", k);
        }

        @Override
        public void onSuccess(LoadGen.Request r, HttpConn.Response response) {
          acked.incrementAndGet(r.tag());
        }
      };
    }

    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    @Override
    String after(String host, int port) throws Exception {
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(16, keys));
      try {
        List<Future<long[]>> fs = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
          int key = k;
          fs.add(
              pool.submit(
                  () -> {
                    try (HttpConn c = new HttpConn(host, port, 300_000)) {
                      HttpConn.Response r =
                          c.send("POST", "/Counter/" + run + "-" + key + "/get", null);
                      if (r.status() != 200) {
                        throw new IOException("get " + key + " -> " + r.status() + " " + r.text());
                      }
                      return new long[] {Long.parseLong(r.text().trim()), acked.get(key)};
                    }
                  }));
        }
        long mismatches = 0;
        long total = 0;
        long totalAcked = 0;
        for (Future<long[]> f : fs) {
          long[] v = f.get();
          total += v[0];
          totalAcked += v[1];
          if (v[0] != v[1]) {
            mismatches++;
          }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String counts =
            mismatches == 0
                ? "counts OK (" + total + ")"
                : "COUNT MISMATCH on "
                    + mismatches
                    + " keys: "
                    + total
                    + " applied vs "
                    + totalAcked
                    + " acknowledged";
        return send ? "drained in " + ms + " ms; " + counts : counts;
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
