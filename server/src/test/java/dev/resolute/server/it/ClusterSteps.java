package dev.resolute.server.it;

import dev.restate.sdk.Context;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Service;
import java.util.UUID;

/**
 * Service written with the official Restate Java SDK 2.4.0 for the cluster tests' {@code ctx.run}
 * check: {@link #steps} runs {@value #STEPS} {@code ctx.run} steps; every execution of a step's
 * closure appends {@code <name> <step> <attempt> <wall millis>} to the marker {@code cluster-steps}
 * ({@code attempt} is new on every execution of the handler, replays included) and returns its
 * {@code attempt}, so the handler's answer names, per step, the execution whose result the server
 * journaled.
 */
@Service
public class ClusterSteps {
  static final int STEPS = 4;
  static final String MARKER = "cluster-steps";

  @Handler
  public String steps(Context ctx, String name) {
    return runSteps(ctx, name, 0, STEPS);
  }

  /**
   * Steps {@code from} to {@code to - 1} of {@code name}; their journaled attempts joined with
   * commas.
   */
  static String runSteps(Context ctx, String name, int from, int to) {
    String attempt = UUID.randomUUID().toString().substring(0, 8); // not journaled: per execution
    StringBuilder journaled = new StringBuilder();
    for (int s = from; s < to; s++) {
      int step = s;
      String r =
          ctx.run(
              "step-" + step,
              String.class,
              () -> {
                TestServices.publish(
                    MARKER, name + " " + step + " " + attempt + " " + System.currentTimeMillis());
                return attempt;
              });
      journaled.append(s == from ? "" : ",").append(r);
    }
    return journaled.toString();
  }
}
