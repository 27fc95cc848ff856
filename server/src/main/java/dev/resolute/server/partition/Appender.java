package dev.resolute.server.partition;

import dev.resolute.server.log.Log;
import dev.resolute.server.pb.Envelope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Stamps records with the appender's clock (the only wall-clock time apply ever sees) and appends.
 */
public final class Appender {
  private final Log log;
  private final Clock clock;

  public Appender(Log log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  public CompletableFuture<Long> append(int partition, Envelope env) {
    Envelope stamped = env.toBuilder().setTimestampMillis(clock.millis()).build();
    return log.append(partition, stamped.toByteArray());
  }

  /**
   * Appends records of one partition as one group (same commit, consecutive LSNs), stamped alike.
   */
  public CompletableFuture<Long> appendAll(int partition, List<Envelope> envs) {
    long now = clock.millis();
    List<byte[]> payloads = new ArrayList<>(envs.size());
    for (Envelope env : envs) {
      payloads.add(env.toBuilder().setTimestampMillis(now).build().toByteArray());
    }
    return log.appendAll(partition, payloads);
  }

  public long now() {
    return clock.millis();
  }
}
