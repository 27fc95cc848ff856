package dev.resolute.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * What one chaos run does and when, derived from its length and a seed (printed, so a run can be
 * repeated): the moments of every fault, in order. The run is cut into as many equal slots as there
 * are faults and each fault falls at a random moment of its own slot (never in the first two
 * seconds of it), so faults are spread over the whole run and never pile up.
 *
 * <p>The short form (the one {@code ./test} runs) lasts 75 s: 5 server kills, 1 deployment kill and
 * 1 full disk (when the disk can be filled). The long form ({@code ./chaos --minutes N}) has one
 * server kill per 12 s, one deployment kill per minute and one full disk per 3 minutes.
 */
record ChaosPlan(long seed, Duration length, List<Fault> faults) {
  static final Duration SHORT = Duration.ofSeconds(75);

  enum Kind {
    /** SIGKILL of the server, then a start on the same data directory. */
    SERVER_KILL,
    /** SIGKILL of the deployment, then a start on the same port after a random pause. */
    DEPLOYMENT_KILL,
    /** The data directory's file system filled up, then freed and the server restarted. */
    DISK_FULL
  }

  /** One fault, {@code at} after the start of the load. */
  record Fault(Kind kind, Duration at) {}

  static ChaosPlan of(long seed, double minutes, boolean diskCanFill) {
    Duration length = minutes <= 0 ? SHORT : Duration.ofMillis(Math.round(minutes * 60_000));
    int serverKills;
    int deploymentKills;
    int diskFills;
    if (minutes <= 0) {
      serverKills = 5;
      deploymentKills = 1;
      diskFills = diskCanFill ? 1 : 0;
    } else {
      serverKills = Math.max(5, (int) (length.toSeconds() / 12));
      deploymentKills = Math.max(1, (int) (length.toSeconds() / 60));
      diskFills = diskCanFill ? Math.max(1, (int) (length.toSeconds() / 180)) : 0;
    }
    List<Kind> kinds = new ArrayList<>();
    for (int i = 0; i < serverKills; i++) {
      kinds.add(Kind.SERVER_KILL);
    }
    for (int i = 0; i < deploymentKills; i++) {
      kinds.add(Kind.DEPLOYMENT_KILL);
    }
    for (int i = 0; i < diskFills; i++) {
      kinds.add(Kind.DISK_FULL);
    }
    Random rnd = new Random(seed);
    java.util.Collections.shuffle(kinds, rnd);
    long slot = length.toMillis() / kinds.size();
    List<Fault> faults = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      long at = i * slot + 2000 + (long) (rnd.nextDouble() * Math.max(1, slot - 2000));
      faults.add(new Fault(kinds.get(i), Duration.ofMillis(at)));
    }
    faults.sort(Comparator.comparing(Fault::at));
    return new ChaosPlan(seed, length, List.copyOf(faults));
  }

  long count(Kind kind) {
    return faults.stream().filter(f -> f.kind() == kind).count();
  }
}
