package dev.resolute.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Launches a Restate-compatible server (the real {@code restate-server}, later the Resolute server,
 * which has the same CLI and environment) as a child process with its own base dir and ports, waits
 * until it is healthy, registers deployments and stops it by PID (also from a JVM shutdown hook).
 * Shipped in the sdk test-jar (this package only) for the client's tests.
 */
public final class ServerProcess implements AutoCloseable {
  public static final String REAL_RESTATE_BINARY = System.getProperty("restate.server.binary", peersBinary());

  /** {@code .peers/…/restate-server} in the working directory or the nearest parent that has one. */
  static String peersBinary() {
    String rel = ".peers/node_modules/@restatedev/restate-server-linux-x64/bin/restate-server";
    for (java.nio.file.Path d = java.nio.file.Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (java.nio.file.Files.isExecutable(d.resolve(rel))) {
        return d.resolve(rel).toString();
      }
    }
    return rel;
  }

  /** Ports of one server instance. */
  public record Ports(int ingress, int admin, int node) {
    public static final Ports DEFAULT_TEST = new Ports(28080, 29070, 25122);

    /** Three ports free on loopback right now. */
    public static Ports free() throws IOException {
      return new Ports(freePort(), freePort(), freePort());
    }

    private static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      }
    }
  }

  private final List<String> command;
  private final Ports ports;
  private final Path baseDir;
  private final Map<String, String> extraEnv;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;
  private Thread hook;

  public ServerProcess(List<String> command, Ports ports, Path baseDir, Map<String, String> extraEnv) {
    this.command = List.copyOf(command);
    this.ports = ports;
    this.baseDir = baseDir;
    this.extraEnv = Map.copyOf(extraEnv);
  }

  /** The real restate-server on {@link Ports#DEFAULT_TEST} with a fresh base dir under {@code target/}. */
  public static ServerProcess realRestate(String name) throws IOException {
    return realRestate(name, Ports.DEFAULT_TEST);
  }

  /** The real restate-server on {@code ports} with a fresh base dir under {@code target/}. */
  public static ServerProcess realRestate(String name, Ports ports) throws IOException {
    Path base = Path.of("target", "restate-" + name + "-" + System.nanoTime()).toAbsolutePath();
    return new ServerProcess(List.of(REAL_RESTATE_BINARY, "--base-dir", base.toString(), "--no-logo"),
        ports, base, Map.of());
  }

  /**
   * The Resolute server of this repository (from the test classpath) as a child JVM on {@code ports}:
   * it takes the same command line and {@code RESTATE_…} environment as restate-server.
   */
  public static ServerProcess resolute(String name, Ports ports) throws IOException {
    return resolute(name, ports, Map.of());
  }

  /** As {@link #resolute(String, Ports)} with extra environment (e.g. {@code RESTATE_…} settings). */
  public static ServerProcess resolute(String name, Ports ports, Map<String, String> env) throws IOException {
    Path base = Path.of("target", "resolute-" + name + "-" + System.nanoTime()).toAbsolutePath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ServerProcess(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "dev.resolute.server.Main", "--base-dir", base.toString(), "--no-logo", "--default-num-partitions", "4"),
        ports, base, env);
  }

  public ServerProcess start(Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(baseDir);
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:" + ports.ingress());
    env.put("RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:" + ports.admin());
    env.put("RESTATE_BIND_ADDRESS", "127.0.0.1:" + ports.node());
    env.put("RESTATE_ADVERTISED_ADDRESS", "http://127.0.0.1:" + ports.node() + "/");
    env.put("RESTATE_LOG_DISABLE_ANSI_CODES", "true");
    env.putAll(extraEnv);
    pb.environment().putAll(env);
    File log = baseDir.resolve("server.log").toFile();
    pb.redirectErrorStream(true).redirectOutput(log);
    process = pb.start();
    long pid = process.pid();
    hook = new Thread(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly), "stop-server-" + pid);
    Runtime.getRuntime().addShutdownHook(hook);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue() + ", log: " + tail(log));
      }
      if (get(adminUrl() + "/health") == 200 && get(ingressUrl() + "/restate/health") == 200) {
        return this;
      }
      Thread.sleep(200);
    }
    close();
    throw new IllegalStateException("server not healthy after " + timeout + ", log: " + tail(log));
  }

  private int get(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String tail(File f) {
    try {
      String s = Files.readString(f.toPath());
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  public String ingressUrl() {
    return "http://127.0.0.1:" + ports.ingress();
  }

  public String adminUrl() {
    return "http://127.0.0.1:" + ports.admin();
  }

  public Path baseDir() {
    return baseDir;
  }

  /** {@code POST /deployments}; returns the response body, fails unless 200/201. */
  public String registerDeployment(String uri, boolean useHttp11) throws IOException, InterruptedException {
    String body = "{\"uri\":\"" + uri + "\",\"use_http_11\":" + useHttp11 + ",\"force\":true}";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(adminUrl() + "/deployments"))
        .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      throw new IllegalStateException("registration failed: " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  public String log() {
    return tail(baseDir.resolve("server.log").toFile());
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // JVM shutting down
      }
      process = null;
    }
  }
}
