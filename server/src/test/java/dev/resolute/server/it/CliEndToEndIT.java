package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.RestateCli;
import dev.resolute.testsupport.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The official {@code restate} CLI 1.7.12 end to end against Resolute and, as the reference, the
 * real restate-server 1.7.12, each with its own store and the same workload of the official Java
 * SDK 2.4.0 deployment: completed calls (one idempotent, one that called and sent to others, one
 * with state), a sleep, an object holding its key's lock on an awakeable with a call queued behind
 * it (those three suspended once the 2 s inactivity timeout passes), a handler backing off for an
 * hour, a delayed send and a workflow waiting on its promise. Every command runs against both
 * servers and must print the same thing once what is necessarily different (ids, times, durations,
 * generated keys, ports, and the order restate-server takes from its hash maps) is normalised;
 * where a command changes something, its effect is checked too. The commands: {@code invocations
 * list|describe|pause|resume|cancel|kill|purge|restart-as-new}, {@code services status}, {@code
 * services config view|edit}, {@code kv get|patch|edit|clear}, {@code sql}, {@code deployments
 * list|register|remove}.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliEndToEndIT {
  static Harness resolute;
  static Harness restate;
  static Workload onRestate;
  static Workload onResolute;

  /** The invocation ids of one server's workload; {@code tag} makes its object keys unique. */
  record Workload(
      Harness h,
      String tag,
      String greeted,
      String idempotent,
      String calledOthers,
      String sleepy,
      String hold,
      String queued,
      String backsOff,
      String pausable,
      String scheduled,
      String workflow) {}

  @BeforeAll
  static void start() throws Exception {
    // the sleep, the awakeable and the workflow's promise are awaited past the inactivity
    // timeout, so each server has those invocations suspended for the commands
    Map<String, String> env = Map.of("RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT", "2s");
    resolute = Harness.resolute("cli-e2e", env);
    restate = Harness.restate(resolute, env);
    onRestate = workload(restate, "zqa");
    onResolute = workload(resolute, "zqb");
    settled(onRestate);
    settled(onResolute);
    // the CLI words a keyed invocation's suspension differently before and after 5 s in it
    // ("(5 seconds ago)" / "(6 seconds. The key will not be released ...)"): past it on both
    Thread.sleep(6_000);
  }

  @AfterAll
  static void stop() {
    if (restate != null) {
      restate.close();
    }
    if (resolute != null) {
      resolute.close();
    }
  }

  static Workload workload(Harness h, String tag) throws Exception {
    String greeted = id(h.call("/Greeter/greet", "\"ann\""));
    id(h.call("/Counter/" + tag + "a/add", "5"));
    String idempotent = id(h.call("/Greeter/greet", "\"bob\"", "idempotency-key", "idem-1"));
    String calledOthers = id(h.call("/Greeter/callOther", "\"cx\""));
    String sleepy = h.sendId("/Greeter/sleepy/send", "3600000");
    String hold = h.sendId("/Counter/" + tag + "h/hold/send", "\"" + tag + "h\"");
    h.published("awk-" + tag + "h");
    String queued = h.sendId("/Counter/" + tag + "h/add/send", "1");
    String backsOff = h.sendId("/Tree/backsOff/send", "\"" + tag + "b\"");
    String pausable = h.sendId("/Tree/backsOff/send", "\"" + tag + "p\"");
    String scheduled = h.sendId("/Greeter/greet/send?delay=1h", "\"later\"");
    String workflow = h.sendId("/Signup/" + tag + "w/run/send", "\"wf\"");
    return new Workload(
        h,
        tag,
        greeted,
        idempotent,
        calledOthers,
        sleepy,
        hold,
        queued,
        backsOff,
        pausable,
        scheduled,
        workflow);
  }

  static String id(java.net.http.HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-restate-id").orElseThrow();
  }

  /** Every invocation of the workload has reached the status it keeps for the test. */
  static void settled(Workload w) throws Exception {
    String sql = "select status, count(*) as c from sys_invocation group by status order by status";
    String expected =
        "[{\"status\":\"backing-off\",\"c\":2},{\"status\":\"completed\",\"c\":6},"
            + "{\"status\":\"pending\",\"c\":1},{\"status\":\"scheduled\",\"c\":1},"
            + "{\"status\":\"suspended\",\"c\":3}]";
    Wait.until(
        "workload settled on " + (w.h.reference ? "restate-server" : "Resolute"),
        Duration.ofSeconds(60),
        () -> expected.equals(SqlComparisonIT.rows(w.h, sql).toString()));
  }

  // ------------------------------------------------------------------ running and comparing

  static RestateCli cli(Harness h) {
    return RestateCli.against(
        "http://127.0.0.1:" + h.admin, "http://127.0.0.1:" + h.ingress, h.dir.resolve("cli"));
  }

  /**
   * Runs the command built from each server's workload against both servers and requires the same
   * exit code and output once normalised; returns Resolute's run.
   */
  static RestateCli.Result same(Function<Workload, String[]> args) {
    return same(args, false, w -> cli(w.h));
  }

  static RestateCli.Result same(
      Function<Workload, String[]> args, boolean anyOrder, Function<Workload, RestateCli> clis) {
    RestateCli.Result ref = clis.apply(onRestate).run(args.apply(onRestate));
    RestateCli.Result res = clis.apply(onResolute).run(args.apply(onResolute));
    String a = normalise(ref, onRestate.tag, anyOrder);
    String b = normalise(res, onResolute.tag, anyOrder, true);
    assertThat(b)
        .as("restate %s\n--- restate-server ---\n%s\n--- Resolute ---\n%s", res.args(), ref, res)
        .isEqualTo(a);
    return res;
  }

  private static final Pattern DURATION =
      Pattern.compile(
          "(\\d+ (days?|hours?|minutes?|seconds?|ms)(, | and )?)+|\\d+(\\.\\d+)?(ms|µs|s)\\b");

  /** An entry of `invocations list`: its first line carries the creation time. */
  private static final Pattern LIST_ENTRY = Pattern.compile("(?m)^\\s*❯ \\[([^\\]]+)\\]");

  static String normalise(RestateCli.Result r, String tag, boolean anyOrder) {
    return normalise(r, tag, anyOrder, false);
  }

  static String normalise(RestateCli.Result r, String tag, boolean anyOrder, boolean checkOrder) {
    String s =
        "exit "
            + r.exitCode()
            + "\n"
            + sortEntries(r.stdout(), tag, checkOrder)
            + "\n--- stderr ---\n"
            + r.stderr();
    return lines(mask(s, tag), anyOrder);
  }

  /**
   * Both servers list invocations newest first, but entries created in the same millisecond (or
   * close enough to swap between the two runs) come in no defined order: the entries are compared
   * in the order of their masked text, and Resolute's own order is checked to be newest first.
   */
  static String sortEntries(String out, String tag, boolean checkOrder) {
    java.util.regex.Matcher m = LIST_ENTRY.matcher(out);
    List<Integer> starts = new ArrayList<>();
    List<String> times = new ArrayList<>();
    while (m.find()) {
      starts.add(m.start());
      times.add(m.group(1));
    }
    if (starts.isEmpty()) {
      return out;
    }
    if (checkOrder) {
      for (int i = 1; i < times.size(); i++) {
        // one format and one zone per listing: the text orders like the time
        assertThat(times.get(i).compareTo(times.get(i - 1)))
            .as("entries newest first: %s", times)
            .isLessThanOrEqualTo(0);
      }
    }
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1) : out.length();
      String entry = out.substring(starts.get(i), end);
      entries.add(entry.endsWith("\n") ? entry : entry + "\n");
    }
    entries.sort(java.util.Comparator.comparing(e -> lines(mask(e, tag), false)));
    return out.substring(0, starts.get(0)) + String.join("", entries);
  }

  private static String mask(String s, String tag) {
    s =
        s.replaceAll("inv_1[0-9a-zA-Z]{33}", "inv_*")
            .replaceAll("dp_1[0-9a-zA-Z]{22}", "dp_*")
            .replaceAll("sign_1[0-9a-zA-Z_-]+", "sign_*")
            // the tag after the ids: an id may contain it by chance
            .replace(tag, "T")
            .replaceAll("\\b[0-9A-Z]{26}\\b", "ULID")
            .replaceAll("127\\.0\\.0\\.1:\\d+", "HOST")
            .replaceAll(
                "(\\w{3} )?\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?( ?[+-]\\d\\d:\\d\\d|Z)?",
                "TS")
            .replaceAll("\\w{3} \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d\\d:\\d\\d", "TS")
            .replaceAll("\\([^()]* ago\\)", "(AGO)")
            // the CLI's note on a long-held lock appears only after some seconds have passed
            .replaceAll("Current attempt has been in-flight for [^\\n]*", "");
    return DURATION.matcher(s).replaceAll("DUR");
  }

  private static String lines(String s, boolean anyOrder) {
    if (anyOrder) {
      // a deployment's row names the first of its services, which restate-server lists in hash
      // order: every service goes on a line of its own
      s = s.replaceAll("(?m)^(.*\\S)[ \\t]+(- \\w+ \\[\\d+\\])[ \\t]*$", "$1\n$2");
    }
    List<String> lines = new ArrayList<>();
    for (String line : s.split("\n")) {
      // table widths follow the content; separator rules follow the table width
      String l = line.replaceAll("[―─]+", "-").replaceAll("[ \\t]+", " ").strip();
      if (!l.isEmpty()) {
        lines.add(l);
      }
    }
    if (anyOrder) {
      lines.sort(null);
    }
    return String.join("\n", lines);
  }

  // ------------------------------------------------------------------ read-only commands

  @Test
  @Order(1)
  void invocationsList() {
    String out = same(w -> new String[] {"invocations", "list"}).assertOk().stdout();
    assertThat(out)
        .contains("backing-off")
        .contains("scheduled")
        .contains("pending")
        .contains("suspended");
    same(w -> new String[] {"invocations", "list", "--all"}).assertOk();
    same(w -> new String[] {"invocations", "list", "--status", "pending"}).assertOk();
    assertThat(
            same(w -> new String[] {"invocations", "list", "--status", "suspended"})
                .assertOk()
                .stdout())
        .contains("Greeter/sleepy")
        .contains("Signup");
    same(w -> new String[] {"invocations", "list", "--service", "Counter", "--all"}).assertOk();
  }

  @Test
  @Order(2)
  void invocationsDescribe() {
    for (Function<Workload, String> which :
        List.<Function<Workload, String>>of(
            Workload::greeted,
            Workload::idempotent,
            Workload::calledOthers,
            Workload::sleepy,
            Workload::hold,
            Workload::queued,
            Workload::backsOff,
            Workload::scheduled,
            Workload::workflow)) {
      same(w -> new String[] {"invocations", "describe", which.apply(w)}).assertOk();
    }
    String sleepy =
        cli(resolute).run("invocations", "describe", onResolute.sleepy).assertOk().stdout();
    assertThat(sleepy).contains("Command: Sleep until");
    String failing =
        cli(resolute).run("invocations", "describe", onResolute.backsOff).assertOk().stdout();
    assertThat(failing)
        .contains("[500 Internal] always failing, retried in an hour")
        .contains("java.lang.IllegalStateException");
  }

  @Test
  @Order(3)
  void servicesStatusAndSql() {
    same(w -> new String[] {"services", "status"}, true, w -> cli(w.h)).assertOk();
    String counter =
        same(w -> new String[] {"services", "status", "Counter"}, true, w -> cli(w.h))
            .assertOk()
            .stdout();
    assertThat(counter).contains(onResolute.hold);
    String sql =
        same(w ->
                new String[] {
                  "sql", "select target, status from sys_invocation order by target, status"
                })
            .assertOk()
            .stdout();
    assertThat(sql).contains("Tree/backsOff").contains("backing-off");
  }

  // ------------------------------------------------------------------ state

  @Test
  @Order(4)
  void kvGetPatchEditClear() throws Exception {
    String key = "a";
    String got = same(w -> new String[] {"kv", "get", "Counter", w.tag + key}).assertOk().stdout();
    assertThat(got).containsPattern("count\\s+5");
    same(w ->
            new String[] {
              "kv",
              "patch",
              "Counter",
              w.tag + key,
              "--patch",
              "[{\"op\":\"replace\",\"path\":\"/count\",\"value\":7}]",
              "--yes"
            })
        .assertOk();
    assertThat(
            Wait.forValue(
                "patched state",
                Duration.ofSeconds(10),
                () -> {
                  String s = cli(resolute).run("kv", "get", "Counter", "zqb" + key).stdout();
                  return s.matches("(?s).*count\\s+7\\b.*") ? s : null;
                }))
        .isNotNull();
    same(w -> new String[] {"kv", "get", "Counter", w.tag + key}).assertOk();

    // kv edit opens $EDITOR on the state as JSON; the script turns 7 into 11
    same(
            w -> new String[] {"kv", "edit", "Counter", w.tag + key, "--yes"},
            false,
            w -> editing(w, "s/7/11/"))
        .assertOk();
    assertThat(
            Wait.forValue(
                "edited state",
                Duration.ofSeconds(10),
                () -> {
                  String s = cli(resolute).run("kv", "get", "Counter", "zqb" + key).stdout();
                  return s.matches("(?s).*count\\s+11\\b.*") ? s : null;
                }))
        .isNotNull();
    assertThat(Files.readString(onResolute.h.dir.resolve("edited.before")))
        .isEqualTo(Files.readString(onRestate.h.dir.resolve("edited.before")));

    same(w -> new String[] {"kv", "clear", "Counter/" + w.tag + key, "--yes"}).assertOk();
    Wait.until(
        "state cleared",
        Duration.ofSeconds(10),
        () ->
            SqlComparisonIT.rows(
                        resolute,
                        "select key from state where service_name = 'Counter' and service_key = 'zqb"
                            + key
                            + "'")
                    .size()
                == 0);
    same(w -> new String[] {"kv", "get", "Counter", w.tag + key}).assertOk();
  }

  /**
   * The CLI with {@code $EDITOR} set to a script that keeps a copy of the file it was given ({@code
   * edited.before} in the server's dir) and edits it in place with the sed expression.
   */
  static RestateCli editing(Workload w, String sedExpression) {
    try {
      Path script = w.h.dir.resolve("editor.sh");
      Files.writeString(
          script,
          "#!/bin/sh\ncp \"$1\" \""
              + w.h.dir.resolve("edited.before")
              + "\"\nsed -i -e \"$EDIT_SED\" \"$1\"\n");
      assertThat(script.toFile().setExecutable(true)).isTrue();
      return cli(w.h)
          .env(
              Map.of(
                  "EDITOR",
                  script.toString(),
                  "VISUAL",
                  script.toString(),
                  "EDIT_SED",
                  sedExpression));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A state patch of a key whose lock is held waits behind the running invocation and the call
   * queued after it (as restate-server enqueues it): the handler's own changes happen first and the
   * forced patch replaces everything after them.
   */
  @Test
  @Order(5)
  void aStatePatchWaitsForTheKeysLock() throws Exception {
    same(w ->
            new String[] {
              "kv",
              "patch",
              "Counter",
              w.tag + "h",
              "--patch",
              "[{\"op\":\"add\",\"path\":\"/count\",\"value\":100}]",
              "--force",
              "--yes"
            })
        .assertOk();
    for (Workload w : List.of(onRestate, onResolute)) {
      // nothing applied while the lock is held (read through SQL: a stable answer over time)
      assertThat(SqlComparisonIT.rows(w.h, stateOf(w.tag + "h")).size()).isZero();
      String awk = w.h.published("awk-" + w.tag + "h");
      assertThat(w.h.call("/restate/awakeables/" + awk + "/resolve", "\"go\"").statusCode())
          .isIn(200, 202);
    }
    for (Workload w : List.of(onRestate, onResolute)) {
      Wait.until(
          "hold and the queued add done",
          Duration.ofSeconds(30),
          () ->
              SqlComparisonIT.rows(
                          w.h,
                          "select id from sys_invocation where status = 'completed' and id in ('"
                              + w.hold
                              + "', '"
                              + w.queued
                              + "')")
                      .size()
                  == 2);
      Wait.until(
          "patch applied after them",
          Duration.ofSeconds(10),
          () -> SqlComparisonIT.rows(w.h, stateOf(w.tag + "h")).toString().contains("100"));
    }
    JsonNode a = SqlComparisonIT.rows(restate, stateOf("zqah"));
    JsonNode b = SqlComparisonIT.rows(resolute, stateOf("zqbh"));
    assertThat(b.toString())
        .isEqualTo(a.toString())
        .isEqualTo("[{\"key\":\"count\",\"value_utf8\":\"100\"}]");
  }

  static String stateOf(String key) {
    return "select key, value_utf8 from state where service_name = 'Counter' and service_key = '"
        + key
        + "' order by key";
  }

  // ------------------------------------------------------------------ invocation management

  /**
   * {@code invocations pause} and {@code invocations resume --deployment latest} of an invocation
   * backing off (by id; {@code cancel} below takes a filter): it runs again, fails again and backs
   * off again. While it is paused, restate-server still shows the deployment of its last attempt
   * (its invoker keeps that status after a manual pause, for as long as the server runs, even once
   * the invocation completes); Resolute shows it only while running or backing off, so those two
   * comparisons leave the {@code Deployment:} line out.
   */
  @Test
  @Order(6)
  void pauseAndResume() throws Exception {
    assertThat(
            same(w -> new String[] {"invocations", "pause", w.pausable, "--yes"})
                .assertOk()
                .stdout())
        .contains("Paused 1 invocations");
    for (Workload w : List.of(onRestate, onResolute)) {
      Wait.until(
          "paused", Duration.ofSeconds(30), () -> statusOf(w.h, w.pausable).equals("paused"));
    }
    sameWithoutDeployment(w -> new String[] {"invocations", "list", "--status", "paused"})
        .assertOk();
    sameWithoutDeployment(w -> new String[] {"invocations", "describe", w.pausable}).assertOk();
    // pausing it again finds nothing to pause (the command takes running, backing-off, suspended)
    same(w -> new String[] {"invocations", "pause", w.pausable, "--yes"});
    assertThat(
            same(w ->
                    new String[] {
                      "invocations", "resume", w.pausable, "--deployment", "latest", "--yes"
                    })
                .assertOk()
                .stdout())
        .contains("Resumed 1 invocations");
    for (Workload w : List.of(onRestate, onResolute)) {
      Wait.until(
          "resumed, failed again and backing off",
          Duration.ofSeconds(30),
          () ->
              statusOf(w.h, w.pausable).equals("backing-off")
                  && SqlComparisonIT.rows(
                              w.h,
                              "select retry_count from sys_invocation where id = '"
                                  + w.pausable
                                  + "' and retry_count >= 2")
                          .size()
                      == 1);
    }
    same(w -> new String[] {"invocations", "describe", w.pausable}).assertOk();
  }

  static RestateCli.Result sameWithoutDeployment(Function<Workload, String[]> args) {
    RestateCli.Result ref = cli(onRestate.h).run(args.apply(onRestate));
    RestateCli.Result res = cli(onResolute.h).run(args.apply(onResolute));
    String a = normalise(ref, onRestate.tag, false).replaceAll("(?m)^Deployment: .*\n?", "");
    String b = normalise(res, onResolute.tag, false).replaceAll("(?m)^Deployment: .*\n?", "");
    assertThat(b)
        .as("restate %s\n--- restate-server ---\n%s\n--- Resolute ---\n%s", res.args(), ref, res)
        .isEqualTo(a);
    return res;
  }

  static String statusOf(Harness h, String id) throws Exception {
    JsonNode rows =
        SqlComparisonIT.rows(h, "select status from sys_invocation where id = '" + id + "'");
    return rows.size() == 1 ? rows.get(0).get("status").asText() : "<none>";
  }

  @Test
  @Order(7)
  void cancelKillPurgeRestartAsNew() throws Exception {
    assertThat(
            // by filter: the only invocation of Greeter/sleepy
            same(w -> new String[] {"invocations", "cancel", "Greeter/sleepy", "--yes"})
                .assertOk()
                .stdout())
        .contains("Cancelled 1 invocations");
    assertThat(
            same(w -> new String[] {"invocations", "kill", w.backsOff, "--yes"})
                .assertOk()
                .stdout())
        .contains("Killed 1 invocations");
    for (Workload w : List.of(onRestate, onResolute)) {
      Wait.until(
          "cancelled and killed",
          Duration.ofSeconds(30),
          () ->
              SqlComparisonIT.rows(
                          w.h,
                          "select id from sys_invocation where status = 'completed' and id in ('"
                              + w.sleepy
                              + "', '"
                              + w.backsOff
                              + "')")
                      .size()
                  == 2);
    }
    same(w -> new String[] {"invocations", "describe", w.sleepy}).assertOk();
    same(w -> new String[] {"invocations", "describe", w.backsOff}).assertOk();

    assertThat(
            same(w -> new String[] {"invocations", "purge", w.idempotent, "--yes"})
                .assertOk()
                .stdout())
        .contains("Purged 1 invocations");
    same(w -> new String[] {"invocations", "describe", w.idempotent});
    assertThat(
            SqlComparisonIT.rows(
                    resolute,
                    "select id from sys_invocation where id = '" + onResolute.idempotent + "'")
                .size())
        .isZero();

    same(w -> new String[] {"invocations", "restart-as-new", w.greeted, "--yes"}).assertOk();
    for (Workload w : List.of(onRestate, onResolute)) {
      Wait.until(
          "restarted as new",
          Duration.ofSeconds(30),
          () ->
              SqlComparisonIT.rows(
                          w.h,
                          "select id from sys_invocation where target = 'Greeter/greet'"
                              + " and status = 'completed' and id != '"
                              + w.greeted
                              + "' and id != '"
                              + w.idempotent
                              + "'")
                      .size()
                  == 2); // the callee of callOther and the new one
    }
    same(w -> new String[] {"invocations", "list", "--all"}).assertOk();
  }

  // ------------------------------------------------------------------ configuration, deployments

  @Test
  @Order(8)
  void servicesConfigEdit() throws Exception {
    same(
            w -> new String[] {"services", "config", "edit", "Greeter", "--yes"},
            false,
            // the file lists every setting as a comment; a line added at its end sets one
            w -> editing(w, "$a inactivity_timeout = \"2m\""))
        .assertOk();
    assertThat(Files.readString(onResolute.h.dir.resolve("edited.before")))
        .isEqualTo(Files.readString(onRestate.h.dir.resolve("edited.before")));
    String view =
        same(w -> new String[] {"services", "config", "view", "Greeter"}, true, w -> cli(w.h))
            .assertOk()
            .stdout();
    assertThat(view).containsPattern("Inactivity timeout:\\s+2m");
  }

  @Test
  @Order(9)
  void deploymentsRegisterAndRemove() throws Exception {
    ChildProcess second =
        ChildProcess.start(
            ChildProcess.javaCommand(
                ChildProcess.testClasspath(),
                List.of(),
                "dev.resolute.server.it.TestServices",
                List.of("0", resolute.markers.toString())),
            Map.of(),
            resolute.dir.resolve("services-2.log"));
    try {
      int port =
          Integer.parseInt(
              second.awaitOutput(Harness.SERVICES_READY, Duration.ofSeconds(60)).group(1));
      String uri = "http://127.0.0.1:" + port;
      // restate-server lists the services and their handlers in hash order
      String out =
          same(w -> new String[] {"deployments", "register", uri, "--yes"}, true, w -> cli(w.h))
              .assertOk()
              .stdout();
      assertThat(out).contains("Counter");
      same(w -> new String[] {"deployments", "list"}, true, w -> cli(w.h)).assertOk();
      String[] ids = new String[2];
      for (int i = 0; i < 2; i++) {
        Harness h = i == 0 ? restate : resolute;
        JsonNode rows =
            SqlComparisonIT.rows(
                h, "select id from sys_deployment where endpoint like '%:" + port + "/%'");
        assertThat(rows.size()).as(rows.toString()).isEqualTo(1);
        ids[i] = rows.get(0).get("id").asText();
      }
      same(
          w -> new String[] {"deployments", "remove", w.h.reference ? ids[0] : ids[1], "--yes"},
          true,
          w -> cli(w.h));
      same(
          w ->
              new String[] {
                "deployments", "remove", w.h.reference ? ids[0] : ids[1], "--force", "--yes"
              },
          true,
          w -> cli(w.h));
      same(w -> new String[] {"deployments", "list"}, true, w -> cli(w.h)).assertOk();
      assertThat(
              SqlComparisonIT.rows(
                      resolute, "select id from sys_deployment where id = '" + ids[1] + "'")
                  .size())
          .isZero();
    } finally {
      second.kill9();
    }
  }
}
