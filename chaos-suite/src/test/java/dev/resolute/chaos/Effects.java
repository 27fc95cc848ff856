package dev.resolute.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The side-effect file of the deployment, read back: every execution of a {@code ctx.run} closure
 * appended {@code <what> <id> <token>}. For one journaled step (its journaled result is the token
 * of one execution) the verdict is:
 *
 * <ul>
 *   <li>{@link Verdict#ONCE}: the journaled token is there exactly once, and it is the step's last
 *       execution: nothing ran after its result was journaled (executions before it, whose results
 *       never got journaled, are allowed — a ctx.run is at least once until journaled);
 *   <li>{@link Verdict#MISSING}: the journaled token was never written (an effect that the journal
 *       claims but that did not happen);
 *   <li>{@link Verdict#AGAIN}: the step ran again after the execution that was journaled.
 * </ul>
 */
final class Effects {
  enum Verdict {
    ONCE,
    MISSING,
    AGAIN
  }

  private final Map<String, List<String>> tokens = new HashMap<>();
  private long lines;

  Effects(List<String> fileLines) {
    for (String l : fileLines) {
      String[] f = l.split(" ");
      if (f.length != 3) {
        continue; // not a line this deployment writes
      }
      lines++;
      tokens.computeIfAbsent(f[0] + " " + f[1], k -> new ArrayList<>()).add(f[2]);
    }
  }

  /** Executions recorded in the file. */
  long lines() {
    return lines;
  }

  /** Executions of step {@code what id}, in file order. */
  List<String> executions(String what, String id) {
    return tokens.getOrDefault(what + " " + id, List.of());
  }

  Verdict judge(String what, String id, String journaledToken) {
    List<String> runs = executions(what, id);
    int at = runs.indexOf(journaledToken);
    if (at < 0) {
      return Verdict.MISSING;
    }
    return at == runs.size() - 1 && runs.lastIndexOf(journaledToken) == at
        ? Verdict.ONCE
        : Verdict.AGAIN;
  }

  /**
   * Executions of {@code what id} before the journaled one (their results were never journaled).
   */
  int before(String what, String id, String journaledToken) {
    int at = executions(what, id).indexOf(journaledToken);
    return Math.max(0, at);
  }
}
