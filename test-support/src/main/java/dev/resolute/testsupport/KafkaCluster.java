package dev.resolute.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Several real Kafka brokers in KRaft combined mode (each broker and controller, each its own JVM
 * and data directory below one work directory) forming one cluster: the failover tests' three
 * brokers. Internal topics are replicated {@code min(3, brokers)} times, so the cluster survives
 * the loss of one broker.
 *
 * <p>Invariants: the controller ports are chosen before any broker starts (every member names all
 * voters), at random in 20000–29999; a start that finds one taken starts the whole cluster again on
 * other ports on fresh data. {@link KafkaBroker#restart()} of a member keeps its data and its
 * controller port.
 */
public final class KafkaCluster implements AutoCloseable {
  private final Path workDir;
  private final int size;
  private final List<KafkaBroker> brokers = new ArrayList<>();

  private KafkaCluster(Path workDir, int size) {
    this.workDir = workDir;
    this.size = size;
  }

  /** A cluster of {@code size} brokers, not started; work dir {@code target/processes/<name>-…}. */
  public static KafkaCluster create(String name, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a cluster needs a broker");
    }
    return new KafkaCluster(ServerProcess.newWorkDir(name), size);
  }

  /** Starts every broker and waits until each serves. */
  public KafkaCluster start() {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int[] ports = ports();
      String clusterId = KafkaBroker.newClusterId();
      brokers.clear();
      for (int i = 1; i <= size; i++) {
        brokers.add(
            new KafkaBroker(workDir.resolve("try" + attempt).resolve("broker-" + i), clusterId)
                .member(i, ports));
      }
      try {
        brokers.forEach(KafkaBroker::spawn);
        brokers.forEach(KafkaBroker::awaitStarted);
        return this;
      } catch (RuntimeException e) {
        last = e;
        brokers.forEach(KafkaBroker::kill9);
        if (e.getMessage() == null || !e.getMessage().contains("taken")) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("no free controller ports after 5 tries", last);
  }

  private int[] ports() {
    Set<Integer> taken = new HashSet<>();
    int[] ports = new int[size];
    for (int i = 0; i < size; i++) {
      int p;
      do {
        p = 20000 + ThreadLocalRandom.current().nextInt(10000);
      } while (!taken.add(p));
      ports[i] = p;
    }
    return ports;
  }

  /** Member {@code i} (1-based, its Kafka node id). */
  public KafkaBroker broker(int i) {
    return brokers.get(i - 1);
  }

  public List<KafkaBroker> brokers() {
    return List.copyOf(brokers);
  }

  /** Every running member's {@code host:port}, comma-separated, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return brokers.stream()
        .filter(KafkaBroker::isAlive)
        .map(KafkaBroker::bootstrapServers)
        .collect(Collectors.joining(","));
  }

  @Override
  public void close() {
    for (KafkaBroker b : brokers) {
      b.close();
    }
  }
}
