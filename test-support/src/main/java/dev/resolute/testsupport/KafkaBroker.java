package dev.resolute.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Apache Kafka broker (the jars of {@code org.apache.kafka:kafka_2.13}, copied into {@code
 * .peers/kafka/libs/} by {@code scripts/install-peers}) as a child JVM: one node in KRaft combined
 * mode (broker and controller), its data in {@code <work dir>/data}, its log in {@code <work
 * dir>/broker.log}.
 *
 * <p>Invariants: the client listener binds port 0 on the first start and the broker's log says
 * which port it got ({@code Awaiting socket connections on 127.0.0.1:N}), a restart binds that port
 * again; the controller listener cannot (the controller registers with itself through the static
 * voter address), so it takes a random port in 20000–29999 and a launch that finds it taken is
 * retried on another one, never probed in advance. {@link #restart()} keeps the data directory (a
 * crash, then the same broker again).
 */
public final class KafkaBroker implements AutoCloseable {
  static final String PEERS_LIBS = ".peers/kafka/libs";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern LISTENING =
      Pattern.compile("Awaiting socket connections on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern STARTED = Pattern.compile("Kafka Server started");
  private static final Pattern PORT_TAKEN = Pattern.compile("(?i)address already in use");

  private final Path workDir;
  private final String clusterId;
  private ChildProcess process;
  private int controllerPort = -1;
  private int port = -1;

  /** In a {@link KafkaCluster}: this broker's node id, and every member's controller port. */
  private int nodeId = 1;

  private int[] voterPorts;

  private KafkaBroker(Path workDir) {
    this(workDir, newClusterId());
  }

  KafkaBroker(Path workDir, String clusterId) {
    this.workDir = workDir.toAbsolutePath();
    this.clusterId = clusterId;
  }

  static String newClusterId() {
    byte[] uuid = new byte[16];
    UUID u = UUID.randomUUID();
    for (int i = 0; i < 8; i++) {
      uuid[i] = (byte) (u.getMostSignificantBits() >>> (56 - 8 * i));
      uuid[8 + i] = (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i));
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
  }

  /**
   * Makes this broker member {@code nodeId} of a cluster whose controllers listen on {@code
   * voterPorts}.
   */
  KafkaBroker member(int nodeId, int[] voterPorts) {
    this.nodeId = nodeId;
    this.voterPorts = voterPorts.clone();
    return this;
  }

  /** Not started; work dir {@code target/processes/<name>-<nanos>}. */
  public static KafkaBroker create(String name) {
    return new KafkaBroker(ServerProcess.newWorkDir(name));
  }

  /** Not started; its data and log in {@code workDir}. */
  public static KafkaBroker at(Path workDir) {
    return new KafkaBroker(workDir.toAbsolutePath());
  }

  /**
   * The broker's jars: the system property {@code kafka.libs}, {@code $KAFKA_LIBS}, or {@code
   * .peers/kafka/libs} in the working directory or its nearest parent that has one.
   */
  public static Path libs() {
    return Peers.find("Kafka jars", "kafka.libs", "KAFKA_LIBS", PEERS_LIBS, Files::isDirectory);
  }

  /** Formats the data directory on first use, starts the broker and waits until it serves. */
  public KafkaBroker start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("broker already running (pid " + process.pid() + ")");
    }
    if (voterPorts != null) {
      spawn();
      await(false);
      return this;
    }
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      controllerPort = 20000 + ThreadLocalRandom.current().nextInt(10000);
      try {
        prepare();
        startProcess();
        await(true);
        return this;
      } catch (PortTakenException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no free controller port after 5 tries", last);
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    if (port < 0) {
      throw new IllegalStateException("broker not started");
    }
    return "127.0.0.1:" + port;
  }

  public Path workDir() {
    return workDir;
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Starts the broker process without waiting for it to serve (a cluster starts its members at
   * once).
   */
  void spawn() {
    controllerPort = voterPorts[nodeId - 1];
    prepare();
    startProcess();
  }

  /** Waits until a {@link #spawn spawned} broker serves. */
  void awaitStarted() {
    await(false);
  }

  /** Whether the broker process is running. */
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * {@code kill -9} and start again on the same data and the same client port, as a real broker
   * comes back at its address (clients that keep {@code bootstrap.servers} find it again).
   */
  public KafkaBroker restart() {
    kill9();
    return start();
  }

  public void kill9() {
    if (process != null) {
      process.kill9();
    }
  }

  /** Stops the broker and deletes its data directory (its log stays; see {@link TestData}). */
  @Override
  public void close() {
    if (process != null) {
      process.stop();
    }
    TestData.deleteUnlessKept(workDir.resolve("data"));
  }

  private void writeProperties() {
    String props =
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=" + nodeId,
            "controller.quorum.voters=" + voters(),
            "listeners=PLAINTEXT://127.0.0.1:"
                + Math.max(port, 0)
                + ",CONTROLLER://127.0.0.1:"
                + controllerPort,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "log.dirs=" + workDir.resolve("data"),
            "num.partitions=1",
            "offsets.topic.replication.factor=" + replication(),
            "offsets.topic.num.partitions=4",
            "transaction.state.log.replication.factor=" + replication(),
            "transaction.state.log.min.isr=1",
            "default.replication.factor=" + replication(),
            "transaction.state.log.num.partitions=4",
            "group.initial.rebalance.delay.ms=0",
            // cluster mode tests fail a node over within seconds (consumer session.timeout.ms)
            "group.min.session.timeout.ms=500",
            "auto.create.topics.enable=true",
            // a cluster notices a dead broker in 3 s instead of 9 (broker.session.timeout.ms), so
            // its partitions get new leaders well within the failover tests' 10 s
            voterPorts == null ? "" : "broker.session.timeout.ms=3000",
            voterPorts == null ? "" : "broker.heartbeat.interval.ms=500",
            "");
    try {
      Files.createDirectories(workDir);
      Files.writeString(workDir.resolve("server.properties"), props);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String voters() {
    if (voterPorts == null) {
      return "1@127.0.0.1:" + controllerPort;
    }
    List<String> v = new ArrayList<>();
    for (int i = 0; i < voterPorts.length; i++) {
      v.add((i + 1) + "@127.0.0.1:" + voterPorts[i]);
    }
    return String.join(",", v);
  }

  private int replication() {
    return voterPorts == null ? 1 : Math.min(3, voterPorts.length);
  }

  private List<String> java(String mainClass, List<String> args) {
    return ChildProcess.javaCommand(
        libs().toAbsolutePath() + "/*",
        List.of("-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
        mainClass,
        args);
  }

  private void format() {
    List<String> cmd =
        new ArrayList<>(
            java(
                "kafka.tools.StorageTool",
                List.of(
                    "format",
                    // one argument: an id that starts with '-' (1 in 64) would read as an option
                    "--cluster-id=" + clusterId,
                    "-c",
                    workDir.resolve("server.properties").toString(),
                    "--ignore-formatted")));
    ChildProcess format = ChildProcess.start(cmd, Map.of(), workDir.resolve("format.log"));
    format.awaitOutput(Pattern.compile("Formatting|already formatted"), START_TIMEOUT);
    Wait.until("kafka storage format to exit", START_TIMEOUT, () -> !format.isAlive());
  }

  /** Writes the properties and formats the data directory on first use. */
  private void prepare() {
    writeProperties();
    if (!Files.exists(workDir.resolve("data/meta.properties"))) {
      format();
    }
  }

  private void startProcess() {
    process =
        ChildProcess.start(
            java("kafka.Kafka", List.of(workDir.resolve("server.properties").toString())),
            Map.of(),
            workDir.resolve("broker.log"));
  }

  private void await(boolean portMayBeTaken) {
    int bound;
    try {
      bound =
          Wait.forValue(
              "Kafka broker started (" + process.log() + ")",
              START_TIMEOUT,
              () -> {
                String out = process.output();
                if (PORT_TAKEN.matcher(out).find()) {
                  return -1;
                }
                if (!STARTED.matcher(out).find()) {
                  process.checkAlive();
                  return null;
                }
                Matcher m = LISTENING.matcher(out);
                while (m.find()) {
                  int p = Integer.parseInt(m.group(1));
                  if (p != controllerPort) {
                    return p;
                  }
                }
                return null;
              });
    } catch (RuntimeException | AssertionError e) {
      process.kill9();
      throw e;
    }
    if (bound < 0) {
      process.kill9();
      if (!portMayBeTaken) {
        throw new IllegalStateException("controller port " + controllerPort + " taken");
      }
      throw new PortTakenException();
    }
    port = bound;
  }

  private static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException() {
      super("controller port taken", null, false, false);
    }
  }
}
