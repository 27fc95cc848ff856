package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.resolute.testsupport.Wait;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code POST /query} against Resolute and the real restate-server 1.7.12, each with its own store
 * and the same workload of the official Java SDK 2.4.0 deployment: completed calls to a service and
 * an object (with state), an idempotent call, a workflow suspended on its promise, an invocation
 * suspended on a sleep, an object invocation holding its key's lock on an awakeable with two calls
 * queued behind it, a call that fails twice before it succeeds and one backing off for an hour.
 * Every table issue 12 lists is read with {@code SELECT *}: the column names and Arrow types
 * ({@code information_schema.columns}) must be equal, and so must the rows once the values that are
 * necessarily different (ids, times, partition keys, durations that depend on timing) are replaced
 * by their shape.
 */
@Timeout(300)
class SqlComparisonIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static Harness resolute;
  static Harness restate;

  static final List<String> TABLES =
      List.of(
          "sys_invocation",
          "sys_invocation_status",
          "sys_invocation_state",
          "sys_journal",
          "sys_journal_events",
          "state",
          "sys_inbox",
          "sys_keyed_service_status",
          "sys_promise",
          "sys_service",
          "sys_deployment");

  /** Tables whose rows still differ (server README, SQL); the test fails when one stops. */
  static final List<String> KNOWN_DIFFERENCES = List.of();

  @BeforeAll
  static void start() throws Exception {
    resolute = Harness.resolute("sql-cmp");
    restate = Harness.restate(resolute);
    workload(restate, "zqa");
    workload(resolute, "zqb");
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

  /** The workload, with this server's keys made unique by {@code tag}. */
  static void workload(Harness h, String tag) throws Exception {
    assertThat(h.call("/Greeter/greet", "\"ann\"").statusCode()).isEqualTo(200);
    assertThat(h.call("/Counter/" + tag + "a/add", "5").statusCode()).isEqualTo(200);
    assertThat(h.call("/Greeter/greet", "\"bob\"", "idempotency-key", "idem-1").statusCode())
        .isEqualTo(200);
    assertThat(h.call("/Greeter/flaky", "\"" + tag + "f\"").statusCode()).isEqualTo(200);
    h.sendId("/Signup/" + tag + "w/run/send", "\"wf\"");
    h.sendId("/Greeter/sleepy/send", "3600000");
    h.sendId("/Counter/" + tag + "h/hold/send", "\"" + tag + "h\"");
    h.published("awk-" + tag + "h");
    h.sendId("/Counter/" + tag + "h/add/send", "1");
    h.sendId("/Counter/" + tag + "h/add/send", "2");
    h.sendId("/Tree/backsOff/send", "\"" + tag + "b\"");
    // every kind of journal entry (Kinds/everything), lazy state, a failed output, promises
    assertThat(h.call("/Kinds/" + tag + "k/everything", "\"" + tag + "k\"").statusCode())
        .isEqualTo(200);
    assertThat(h.call("/LazyBox/" + tag + "l/swap", "\"v1\"").statusCode()).isEqualTo(200);
    assertThat(h.call("/LazyBox/" + tag + "l/swap", "\"v2\"").statusCode()).isEqualTo(200);
    assertThat(h.call("/Counter/" + tag + "s/setThenFail", "\"v\"").statusCode()).isEqualTo(400);
    h.sendId("/Signup/" + tag + "p/run/send", "\"pp\"");
    assertThat(h.call("/Signup/" + tag + "p/peek", null).statusCode()).isEqualTo(200);
    assertThat(h.call("/Signup/" + tag + "p/approve", "\"ann\"").statusCode()).isEqualTo(200);
    h.call("/Signup/" + tag + "p/reject", "\"late\"");
    // failures with a related command: in a named run, after a call
    h.sendId("/Kinds/" + tag + "r/failsInRun/send", "\"x\"");
    h.sendId("/Kinds/" + tag + "c/failsAfterCall/send", "\"" + tag + "c\"");
    // an invocation queued behind a held key is "pending" in sys_invocation (restate-server)
    String expected =
        "[{\"status\":\"backing-off\",\"c\":3},{\"status\":\"pending\",\"c\":2},"
            + "{\"status\":\"suspended\",\"c\":3}]";
    String counts =
        "select status, count(*) as c from sys_invocation"
            + " where status != 'completed' group by status order by status";
    String[] last = {""};
    try {
      Wait.until(
          "workload settled",
          // the invocations suspend after restate-server's default inactivity timeout (1 min)
          Duration.ofSeconds(120),
          () -> expected.equals(last[0] = rows(h, counts).toString()));
    } catch (AssertionError e) {
      throw new AssertionError(
          (h.reference ? "restate-server" : "Resolute")
              + ": "
              + last[0]
              + "\n"
              + rows(h, "select id, target, status from sys_invocation"),
          e);
    }
  }

  static HttpResponse<String> query(Harness h, String sql) throws Exception {
    return Harness.send(
        h.admin,
        "POST",
        "/query",
        JSON.writeValueAsString(Map.of("query", sql)),
        "accept",
        "application/json");
  }

  static JsonNode rows(Harness h, String sql) throws Exception {
    HttpResponse<String> r = query(h, sql);
    assertThat(r.statusCode()).as(sql + " → " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("rows");
  }

  @Test
  void columnsAndTypesOfEveryTable() throws Exception {
    for (String table : TABLES) {
      String sql =
          "select column_name, data_type, is_nullable from information_schema.columns"
              + " where table_name = '"
              + table
              + "' order by column_name";
      assertThat(rows(resolute, sql).toString()).as(table).isEqualTo(rows(restate, sql).toString());
    }
  }

  @Test
  void rowsOfEveryTable() throws Exception {
    List<String> diffs = new ArrayList<>();
    List<String> differing = new ArrayList<>();
    for (String table : TABLES) {
      String sql = "select * from " + table;
      List<String> ref = shapes(rows(restate, sql), "zqa");
      List<String> res = shapes(rows(resolute, sql), "zqb");
      if (!ref.equals(res)) {
        differing.add(table);
        if (KNOWN_DIFFERENCES.contains(table)) {
          continue;
        }
        diffs.add(
            table
                + "\n  restate-server:\n    "
                + String.join("\n    ", ref)
                + "\n  Resolute:\n    "
                + String.join("\n    ", res));
      }
    }
    assertThat(String.join("\n", diffs)).isEmpty();
    // a known difference that went away is taken off the list
    assertThat(differing).containsExactlyElementsOf(KNOWN_DIFFERENCES);
  }

  /** Each row with its values replaced by their shape where they must differ, sorted. */
  static List<String> shapes(JsonNode rows, String tag) {
    List<String> out = new ArrayList<>();
    for (JsonNode row : rows) {
      Map<String, JsonNode> m = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = row.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        m.put(e.getKey(), shape(e.getKey(), e.getValue(), tag));
        if (e.getKey().equals("raw")
            && (row.path("entry_type").asText().equals("Command: Sleep")
                || row.path("entry_type").asText().equals("Command: OneWayCall"))) {
          // the protobuf of a sleep holds its wake-up time, that of a one-way call its invoke time
          m.put("raw", new TextNode("<timed>"));
        }
      }
      ObjectNode o = JSON.createObjectNode();
      m.forEach(o::set);
      out.add(o.toString());
    }
    out.sort(null);
    return out;
  }

  static JsonNode shape(String column, JsonNode v, String tag) {
    if (column.equals("partition_key")
        || column.endsWith("_at")
        || column.equals("appended_at")
        || column.equals("created_using_restate_version")) {
      return new TextNode("<" + column + ":" + v.getNodeType() + ">");
    }
    if (column.equals("suspended_waiting_future_json")) {
      // restate-server renders the awaited ids in hash-set order (it varies between runs)
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\\{\"Single\":\\{[^}]*\\}\\}").matcher(v.asText());
      List<String> items = new ArrayList<>();
      while (m.find()) {
        items.add(m.group());
      }
      items.sort(null);
      return new TextNode(v.asText().replaceAll("\\{\"Single\":\\{[^}]*\\}\\}", "*") + items);
    }
    if ((column.equals("services") || column.startsWith("suspended_waiting_for_")) && v.isArray()) {
      // restate-server lists a deployment's services and the awaited ids in hash order
      List<JsonNode> items = new ArrayList<>();
      v.forEach(items::add);
      items.sort((a, b) -> a.asText().compareTo(b.asText()));
      com.fasterxml.jackson.databind.node.ArrayNode a = JSON.createArrayNode();
      a.addAll(items);
      return a;
    }
    if (!v.isTextual()) {
      return v;
    }
    if (column.equals("raw")) {
      // a journal entry's protobuf holds the workload's keys
      StringBuilder hex = new StringBuilder();
      for (byte b : tag.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
        hex.append(String.format("%02x", b));
      }
      return new TextNode(
          v.asText()
              .replace(hex, "T")
              // invocation and awakeable ids (UTF-8 "inv_1…", "sign_1…" with its padding)
              .replaceAll("696e765f31([0-9a-f]{2}){33}", "INV")
              .replaceAll("7369676e5f31([0-9a-f]{2}){38}(3d3d)?", "SIGN"));
    }
    if (column.equals("entry_json")) {
      // and its JSON shows them as byte arrays
      StringBuilder codes = new StringBuilder();
      for (byte b : tag.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
        codes.append(codes.length() == 0 ? "" : ",").append(b);
      }
      v = new TextNode(v.asText().replace(codes, "T"));
    }
    String s =
        v.asText()
            .replaceAll("inv_1[0-9a-zA-Z]{33}", "inv_*")
            .replaceAll("dp_1[0-9a-zA-Z]{22}", "dp_*")
            .replaceAll("(sign_1|prom_1)[0-9a-zA-Z_-]+", "$1*")
            // the tag after the ids: an id may contain it by chance
            .replace(tag, "T")
            .replaceAll("127\\.0\\.0\\.1:[0-9]+", "HOST")
            .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "TS")
            // generated ingress idempotency keys (ULIDs: time and random bits)
            .replaceAll("^[0-9A-Z]{26}$", "ULID")
            // a sleep's wake-up time and the input's user agent in entry_json
            .replaceAll("\"wake_up_time\":\\d+", "\"wake_up_time\":T")
            .replaceAll("\"invoke_time\":[1-9]\\d*", "\"invoke_time\":T")
            .replaceAll("\"partition_key\":\\d+", "\"partition_key\":T")
            .replaceAll("Java-http-client/[0-9.]+", "Java-http-client");
    return new TextNode(s);
  }
}
