package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.testsupport.Wait;
import java.net.URI;
import java.net.http.HttpRequest;
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
 * The admin endpoints of issue 12 against Resolute and the real restate-server 1.7.12, both serving
 * the same official Java SDK 2.4.0 deployment: {@code PATCH /services/{svc}}, {@code POST
 * /services/{svc}/state} (with its version), {@code GET /services/{svc}/openapi}, {@code PATCH
 * /deployments/{id}}, {@code DELETE /deployments/{id}}, restart-as-new, resume with {@code
 * ?deployment=}, {@code /cluster-health}, and the HTTP answers of the admin port (405 with {@code
 * allow}, HEAD, {@code /}, {@code vary}). Statuses, bodies and those headers must be equal once
 * ids, ports and timestamps are normalised and handler lists sorted (restate-server lists them in
 * hash order).
 */
@Timeout(300)
class AdminComparisonIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static Harness resolute;
  static Harness restate;

  @BeforeAll
  static void start() throws Exception {
    resolute = Harness.resolute("admin-cmp");
    restate = Harness.restate(resolute);
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

  /** One server's transcript of a scenario. */
  static final class Transcript {
    final Harness h;
    final String tag;
    final List<String> lines = new ArrayList<>();

    Transcript(Harness h) {
      this.h = h;
      this.tag = h.reference ? "zqa" : "zqb";
    }

    /** An admin request; a body is sent as JSON. Returns the raw answer. */
    HttpResponse<String> admin(String label, String method, String path, String body)
        throws Exception {
      return record(
          label,
          Harness.send(
              h.admin,
              method,
              path.replace("{t}", tag),
              body == null ? null : body.replace("{t}", tag)));
    }

    /** An admin request with exactly these headers (no content type added). */
    HttpResponse<String> adminRaw(String label, String method, String path, String body)
        throws Exception {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.admin + path))
              .timeout(Duration.ofSeconds(60))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      return record(label, Harness.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> call(String path, String body) throws Exception {
      return h.call(path.replace("{t}", tag), body == null ? null : body.replace("{t}", tag));
    }

    String invocationId(HttpResponse<String> r) {
      return r.headers().firstValue("x-restate-id").orElseThrow();
    }

    String sendId(String path, String body) throws Exception {
      return h.sendId(path.replace("{t}", tag), body.replace("{t}", tag));
    }

    /** The line an answer leaves in the transcript. */
    HttpResponse<String> record(String label, HttpResponse<String> r) {
      lines.add(
          label
              + " -> "
              + r.statusCode()
              + " allow="
              + r.headers().firstValue("allow").orElse("-")
              + " location="
              + normalise(r.headers().firstValue("location").orElse("-"))
              + " vary="
              + r.headers().firstValue("vary").orElse("-")
              + " type="
              + r.headers().firstValue("content-type").orElse("-")
              + " "
              + normalise(r.body()));
      return r;
    }

    String normalise(String body) {
      String b =
          body.replaceAll("inv_1[0-9a-zA-Z]{33}", "inv_*")
              .replaceAll("dp_1[0-9a-zA-Z]{22}", "dp_*")
              // the tag after the ids: an id may contain it by chance
              .replace(tag, "T")
              .replaceAll("127\\.0\\.0\\.1:[0-9]+", "HOST")
              .replaceAll("\"created_at\":\"[^\"]*\"", "\"created_at\":\"*\"")
              .replaceAll("\"revision\":[0-9]+", "\"revision\":0")
              .replaceAll("\"version\":\"[0-9]+\"", "\"version\":\"*\"");
      try {
        return JSON.writeValueAsString(sorted(JSON.readTree(b)));
      } catch (Exception e) {
        return b;
      }
    }
  }

  /** Keys sorted; {@code handlers} and {@code services} arrays sorted by name. */
  static JsonNode sorted(JsonNode n) {
    if (n.isObject()) {
      Map<String, JsonNode> m = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = sorted(e.getValue());
        if ((e.getKey().equals("handlers") || e.getKey().equals("services")) && v.isArray()) {
          List<JsonNode> items = new ArrayList<>();
          v.forEach(items::add);
          items.sort((a, c) -> a.path("name").asText().compareTo(c.path("name").asText()));
          ArrayNode a = JSON.createArrayNode();
          a.addAll(items);
          v = a;
        }
        m.put(e.getKey(), v);
      }
      ObjectNode o = JSON.createObjectNode();
      m.forEach(o::set);
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = JSON.createArrayNode();
      n.forEach(e -> a.add(sorted(e)));
      return a;
    }
    return n;
  }

  interface Scenario {
    void run(Transcript t) throws Exception;
  }

  private static void compare(Scenario scenario) throws Exception {
    Transcript ref = new Transcript(restate);
    scenario.run(ref);
    Transcript res = new Transcript(resolute);
    scenario.run(res);
    assertThat(String.join("\n", res.lines)).isEqualTo(String.join("\n", ref.lines));
  }

  @Test
  void httpAnswersOfTheAdminPort() throws Exception {
    compare(
        t -> {
          t.admin("cluster health", "GET", "/cluster-health", null);
          t.admin("root", "GET", "/", null);
          t.admin("head of a list", "HEAD", "/services", null);
          t.admin("head of health", "HEAD", "/health", null);
          t.admin("health", "GET", "/health", null);
          t.admin("post health", "POST", "/health", null);
          t.admin("put services", "PUT", "/services", null);
          t.admin("put deployments", "PUT", "/deployments", null);
          t.admin("put a service", "PUT", "/services/Counter", null);
          t.admin("put its state", "PUT", "/services/Counter/state", null);
          t.admin("post its openapi", "POST", "/services/Counter/openapi", null);
          t.admin("post a deployment", "POST", "/deployments/dp_11111111111111111111111", null);
          t.admin("get an invocation", "GET", "/invocations/inv_1", null);
          t.admin("get restart-as-new", "GET", "/invocations/inv_1/restart-as-new", null);
          t.admin("put cluster health", "PUT", "/cluster-health", null);
          t.admin("under a service", "PUT", "/services/Counter/nope", null);
          t.admin("deeper", "GET", "/services/Counter/handlers/add/more", null);
          t.admin("versioned", "PUT", "/v3/services", null);
          t.admin("unknown", "GET", "/nope", null);
        });
  }

  @Test
  void modifyService() throws Exception {
    compare(
        t -> {
          t.adminRaw("no content type", "PATCH", "/services/Counter", "{}");
          t.admin("unknown service", "PATCH", "/services/Nope", "{}");
          t.admin("bad json", "PATCH", "/services/Counter", "notjson");
          t.admin("empty body", "PATCH", "/services/Counter", "");
          t.admin("not an object", "PATCH", "/services/Counter", "\"x\"");
          t.admin("public not a boolean", "PATCH", "/services/Counter", "{\"public\":1}");
          t.admin(
              "bad duration",
              "PATCH",
              "/services/Counter",
              "{\"idempotency_retention\":\"bogus\"}");
          t.admin("months", "PATCH", "/services/Counter", "{\"inactivity_timeout\":\"3 months\"}");
          t.admin(
              "duration not a string",
              "PATCH",
              "/services/Counter",
              "{\"idempotency_retention\":5}");
          t.admin(
              "duplicate field",
              "PATCH",
              "/services/Counter",
              "{\"public\":true,\"public\":false}");
          t.admin(
              "workflow retention on an object",
              "PATCH",
              "/services/Counter",
              "{\"workflow_completion_retention\":\"1h\"}");
          t.admin("private", "PATCH", "/services/Counter", "{\"public\":false}");
          t.admin("private call", "POST", "/services/Counter/handlers", null);
          lines(t, "call while private", t.call("/Counter/{t}-m/get", null));
          t.admin(
              "timeouts and retentions",
              "PATCH",
              "/services/Counter",
              "{\"idempotency_retention\":\"5m\",\"journal_retention\":\"2h\","
                  + "\"inactivity_timeout\":\"PT5M\",\"abort_timeout\":\"1 hour\"}");
          t.admin("empty patch keeps them", "PATCH", "/services/Counter", "{}");
          t.admin(
              "unknown fields and nulls",
              "PATCH",
              "/services/Counter",
              "{\"x\":1,\"public\":null}");
          t.admin("public again", "PATCH", "/services/Counter", "{\"public\":true}");
          lines(t, "call when public", t.call("/Counter/{t}-m/get", null));
          t.admin("get", "GET", "/services/Counter", null);
          t.admin(
              "workflow",
              "PATCH",
              "/services/ShortFlow",
              "{\"workflow_completion_retention\":\"3h\",\"idempotency_retention\":\"1h\"}");
          t.admin("service private", "PATCH", "/services/Greeter", "{\"public\":false}");
          t.admin("its openapi keeps its paths", "GET", "/services/Greeter/openapi", null);
          t.admin("service public", "PATCH", "/services/Greeter", "{\"public\":true}");
        });
  }

  private static void lines(Transcript t, String label, HttpResponse<String> r) {
    t.lines.add(label + " -> " + r.statusCode() + " " + t.normalise(r.body()));
  }

  @Test
  void serviceOpenApi() throws Exception {
    compare(
        t -> {
          for (String s :
              List.of(
                  "Greeter",
                  "Counter",
                  "LazyBox",
                  "Signup",
                  "Replays",
                  "Diverging",
                  "ShortFlow",
                  "Tree")) {
            t.admin(s, "GET", "/services/" + s + "/openapi", null);
          }
          t.admin("unknown", "GET", "/services/Nope/openapi", null);
        });
  }

  @Test
  void replaceState() throws Exception {
    // version of {a: "hello"} as restate-server computes it
    String version = "8aBpabM8c3mwrMFSOkklxfyYot5Vbr7HeL19a2X5ZmI";
    compare(
        t -> {
          t.adminRaw("no content type", "POST", "/services/Counter/state", "{}");
          t.admin("bad json", "POST", "/services/Counter/state", "nope");
          t.admin("no key", "POST", "/services/Counter/state", "{\"new_state\":{}}");
          t.admin("no state", "POST", "/services/Counter/state", "{\"object_key\":\"k\"}");
          // a byte over 255 is a 422 here too, but without serde's "at line L column C" (not
          // compared)
          t.admin(
              "plain service",
              "POST",
              "/services/Greeter/state",
              "{\"object_key\":\"k\",\"new_state\":{}}");
          t.admin(
              "unknown service",
              "POST",
              "/services/Nope/state",
              "{\"object_key\":\"k\",\"new_state\":{}}");
          lines(t, "put", t.call("/Counter/{t}-s/put", "\"a=hello\""));
          t.admin(
              "wrong version",
              "POST",
              "/services/Counter/state",
              "{\"object_key\":\"{t}-s\",\"new_state\":{\"b\":[34,119,34]},\"version\":\"nope\"}");
          t.admin(
              "right version",
              "POST",
              "/services/Counter/state",
              "{\"object_key\":\"{t}-s\",\"new_state\":{\"b\":[34,119,34]},\"version\":\""
                  + version
                  + "\"}");
          Wait.until(
              "the state replaced",
              Duration.ofSeconds(20),
              () -> t.call("/Counter/{t}-s/keys", null).body().equals("[\"b\"]"));
          lines(t, "keys", t.call("/Counter/{t}-s/keys", null));
          lines(t, "b", t.call("/Counter/{t}-s/read", "\"b\""));
          t.admin(
              "string value, no version",
              "POST",
              "/services/Counter/state",
              "{\"object_key\":\"{t}-s\",\"new_state\":{\"c\":\"\\\"z\\\"\"}}");
          Wait.until(
              "the state replaced again",
              Duration.ofSeconds(20),
              () -> t.call("/Counter/{t}-s/keys", null).body().equals("[\"c\"]"));
          lines(t, "c", t.call("/Counter/{t}-s/read", "\"c\""));
        });
  }

  @Test
  void restartAsNewAndResume() throws Exception {
    compare(
        t -> {
          String done = t.invocationId(t.call("/Greeter/greet", "\"{t}\""));
          HttpResponse<String> r =
              t.admin("restart done", "PATCH", "/invocations/" + done + "/restart-as-new", null);
          String fresh = JSON.readTree(r.body()).get("new_invocation_id").asText();
          lines(
              t,
              "attach to the new one",
              Harness.send(t.h.ingress, "GET", "/restate/invocation/" + fresh + "/attach", null));
          t.admin("from=0", "PATCH", "/invocations/" + done + "/restart-as-new?from=0", null);
          t.admin("bad from", "PATCH", "/invocations/" + done + "/restart-as-new?from=x", null);
          t.admin(
              "unknown",
              "PATCH",
              "/invocations/inv_1gdJBtdVEcM942bjcDmb1c1khoaJe11Hbz/restart-as-new",
              null);
          t.admin("bad id", "PATCH", "/invocations/inv_1abc/restart-as-new", null);
          String running = t.sendId("/Greeter/sleepy/send", "600000");
          // the attempt must have started (and pinned its deployment) before it counts as running
          Thread.sleep(1000);
          t.admin("restart running", "PATCH", "/invocations/" + running + "/restart-as-new", null);
          t.admin(
              "resume running on latest",
              "PATCH",
              "/invocations/" + running + "/resume?deployment=latest",
              null);
          t.admin(
              "resume running, keep",
              "PATCH",
              "/invocations/" + running + "/resume?deployment=keep",
              null);
          t.admin(
              "bad deployment",
              "PATCH",
              "/invocations/" + running + "/resume?deployment=bogus",
              null);
          t.admin(
              "short deployment",
              "PATCH",
              "/invocations/" + running + "/resume?deployment=dp_1",
              null);
          t.admin("kill", "PATCH", "/invocations/" + running + "/kill", null);
          t.admin("restart killed", "PATCH", "/invocations/" + running + "/restart-as-new", null);
          String wf = t.invocationId(t.call("/ShortFlow/{t}-wf/run", "\"x\""));
          t.admin("restart workflow", "PATCH", "/invocations/" + wf + "/restart-as-new", null);
          String counted = t.invocationId(t.call("/Counter/{t}-r/add", "1"));
          t.admin("purge journal", "PATCH", "/invocations/" + counted + "/purge-journal", null);
          t.admin(
              "restart without journal",
              "PATCH",
              "/invocations/" + counted + "/restart-as-new",
              null);
          String scheduled = t.sendId("/Greeter/greet/send?delay=1h", "\"x\"");
          t.admin(
              "restart scheduled", "PATCH", "/invocations/" + scheduled + "/restart-as-new", null);
          for (String d : List.of("dp_11111111111111111111111", "latest", "keep")) {
            String suspended = t.sendId("/Tree/suspends/send", "\"{t}-" + d + "\"");
            t.h.published("awk-" + t.tag + "-" + d);
            // Tree/suspends has an inactivity timeout of 500 ms: wait until it has suspended
            Thread.sleep(1500);
            t.admin(
                "resume suspended, deployment=" + d,
                "PATCH",
                "/invocations/" + suspended + "/resume?deployment=" + d,
                null);
          }
        });
  }

  @Test
  void updateAndDeleteDeployments() throws Exception {
    compare(
        t -> {
          String id =
              JSON.readTree(Harness.get(t.h.admin, "/deployments").body())
                  .get("deployments")
                  .get(0)
                  .get("id")
                  .asText();
          String uri = "http://127.0.0.1:" + t.h.servicesPort;
          t.admin("bad id", "PATCH", "/deployments/bad", "{}");
          t.adminRaw("no content type", "PATCH", "/deployments/" + id, "{}");
          t.admin("unknown", "PATCH", "/deployments/dp_11111111111111111111111", "{}");
          t.admin("bad json", "PATCH", "/deployments/" + id, "bad");
          t.admin("array", "PATCH", "/deployments/" + id, "[]");
          t.admin(
              "header not a string",
              "PATCH",
              "/deployments/" + id,
              "{\"additional_headers\":{\"x\":1}}");
          t.admin("relative uri", "PATCH", "/deployments/" + id, "{\"uri\":\"/relative\"}");
          t.admin("not a uri", "PATCH", "/deployments/" + id, "{\"uri\":\"not a uri\"}");
          t.admin("nothing", "PATCH", "/deployments/" + id, "{}");
          t.admin(
              "headers", "PATCH", "/deployments/" + id, "{\"additional_headers\":{\"x-a\":\"b\"}}");
          t.admin("same uri", "PATCH", "/deployments/" + id, "{\"uri\":\"" + uri + "/\"}");
          t.admin("headers cleared", "PATCH", "/deployments/" + id, "{\"additional_headers\":{}}");
          t.admin("get", "GET", "/deployments/" + id, null);
          // a new uri (the same services): 201 and the discovered handlers, nothing stored
          t.admin(
              "dry run of a new deployment",
              "POST",
              "/deployments",
              "{\"uri\":\"http://localhost:" + t.h.servicesPort + "/\",\"dry_run\":true}");
          t.admin("after the dry run", "GET", "/deployments", null);
          t.admin("delete without force", "DELETE", "/deployments/" + id, null);
          t.admin("delete force=false", "DELETE", "/deployments/" + id + "?force=false", null);
          t.admin(
              "delete unknown",
              "DELETE",
              "/deployments/dp_11111111111111111111111?force=true",
              null);
        });
  }

  @Test
  void serviceOverridesSurviveARestart() throws Exception {
    HttpResponse<String> r =
        Harness.send(
            resolute.admin,
            "PATCH",
            "/services/LazyBox",
            "{\"public\":false,\"idempotency_retention\":\"7m\",\"abort_timeout\":\"3h\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    resolute.restartServer();
    JsonNode s = JSON.readTree(Harness.get(resolute.admin, "/services/LazyBox").body());
    assertThat(s.get("public").asBoolean()).isFalse();
    assertThat(s.get("idempotency_retention").asText()).isEqualTo("7m");
    assertThat(s.get("abort_timeout").asText()).isEqualTo("3h");
    assertThat(resolute.call("/LazyBox/k/swap", "\"x\"").statusCode()).isEqualTo(400);
    // a new revision of the service starts from its manifest again (restate-server does the same)
    HttpResponse<String> reg =
        Harness.send(
            resolute.admin,
            "POST",
            "/deployments",
            "{\"uri\":\"http://127.0.0.1:" + resolute.servicesPort + "\",\"force\":true}");
    assertThat(reg.statusCode()).as(reg.body()).isIn(200, 201);
    s = JSON.readTree(Harness.get(resolute.admin, "/services/LazyBox").body());
    assertThat(s.get("public").asBoolean()).isTrue();
    assertThat(s.get("idempotency_retention").asText()).isEqualTo("1d");
  }
}
