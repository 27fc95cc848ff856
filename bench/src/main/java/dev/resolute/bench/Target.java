package dev.resolute.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One server under test (Resolute or restate-server) with its own bench deployment JVM: start,
 * register, health, stop. Every child process is recorded in {@link Children} so that the driver
 * and the shell wrapper can kill whatever is left on any exit.
 */
final class Target {
  final String name;
  final List<String> command;
  final Map<String, String> env;
  final Path baseDir;
  final Path logs;
  final int ingressPort;
  final int adminPort;
  final int servicesPort;
  final List<String> servicesCommand;
  Process server;
  Process services;
  long invocations;

  Target(
      String name,
      List<String> command,
      Map<String, String> env,
      Path baseDir,
      Path logs,
      int ingressPort,
      int adminPort,
      int servicesPort,
      List<String> servicesCommand) {
    this.name = name;
    this.command = command;
    this.env = env;
    this.baseDir = baseDir;
    this.logs = logs;
    this.ingressPort = ingressPort;
    this.adminPort = adminPort;
    this.servicesPort = servicesPort;
    this.servicesCommand = servicesCommand;
  }

  long pid() {
    return server.pid();
  }

  long servicesPid() {
    return services.pid();
  }

  void startServices() throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(servicesCommand)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(logs.resolve(name + "-services.log").toFile()));
    services = Children.start(pb);
    waitForPort(servicesPort, 60_000, services);
  }

  /**
   * Starts the server and returns the milliseconds until both ingress and admin answer health
   * checks.
   */
  long start() throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(logs.resolve(name + "-server.log").toFile()));
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    server = Children.start(pb);
    long deadline = System.currentTimeMillis() + 120_000;
    boolean ingress = false;
    boolean admin = false;
    while (!(ingress && admin)) {
      if (!server.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with "
                + server.exitValue()
                + "; see "
                + logs.resolve(name + "-server.log"));
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(name + " not healthy after 120 s");
      }
      ingress = ingress || ok(ingressPort, "/restate/health");
      admin = admin || ok(adminPort, "/health");
      if (!(ingress && admin)) {
        Thread.sleep(5);
      }
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static boolean ok(int port, String path) {
    try (HttpConn c = new HttpConn("127.0.0.1", port, 2000)) {
      return c.send("GET", path, null).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  void register() throws IOException, InterruptedException {
    String body = "{\"uri\":\"http://127.0.0.1:" + servicesPort + "\",\"force\":true}";
    try (HttpConn c = new HttpConn("127.0.0.1", adminPort, 30_000)) {
      HttpConn.Response r = c.send("POST", "/deployments", body.getBytes(StandardCharsets.UTF_8));
      if (r.status() / 100 != 2) {
        throw new IllegalStateException(
            name + ": registration failed: " + r.status() + " " + r.text());
      }
    }
    awaitEcho(30_000);
  }

  /** Milliseconds until an echo invocation succeeds (the deployment is known and reachable). */
  long awaitEcho(long timeoutMillis) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      try (HttpConn c = new HttpConn("127.0.0.1", ingressPort, 10_000)) {
        HttpConn.Response r =
            c.send("POST", "/Echo/echo", "\"ready\"".getBytes(StandardCharsets.UTF_8));
        if (r.status() == 200) {
          return (System.nanoTime() - t0) / 1_000_000;
        }
        last = r.status() + " " + r.text();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(name + ": echo not answering: " + last);
  }

  /** SIGTERM, then SIGKILL after 20 s. */
  void stopServer() throws InterruptedException {
    Children.stop(server, 20);
  }

  void stopAll() throws InterruptedException {
    Children.stop(server, 20);
    Children.stop(services, 5);
  }

  static void waitForPort(int port, long timeoutMillis, Process p) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      if (p != null && !p.isAlive()) {
        throw new IllegalStateException("process exited before listening on " + port);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("nothing listening on port " + port);
  }

  static boolean portInUse(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Registry of child processes, killed by a shutdown hook; pids also written to a file. */
  static final class Children {
    private static final List<Process> ALL = new ArrayList<>();
    static Path pidFile;

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(Children::killAll, "kill-children"));
    }

    static synchronized Process start(ProcessBuilder pb) throws IOException {
      Process p = pb.start();
      ALL.add(p);
      if (pidFile != null) {
        Files.writeString(
            pidFile,
            p.pid() + "\n",
            StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      }
      return p;
    }

    static void stop(Process p, int graceSeconds) throws InterruptedException {
      if (p == null || !p.isAlive()) {
        return;
      }
      p.destroy();
      if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }

    static synchronized void killAll() {
      for (Process p : ALL) {
        if (p.isAlive()) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      }
    }
  }
}
