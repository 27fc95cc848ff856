package dev.resolute.server.partition;

import dev.resolute.server.log.Log;
import dev.resolute.server.pb.Envelope;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** Stamps records with the appender's clock (the only wall-clock time apply ever sees) and appends. */
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

  public long now() {
    return clock.millis();
  }
}
