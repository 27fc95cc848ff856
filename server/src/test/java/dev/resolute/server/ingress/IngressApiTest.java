package dev.resolute.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.api.InvocationRequest;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Statuses, headers and bodies below were recorded with curl against restate-server 1.7.12 and the
 * {@link CaptureServices} deployment (official Java SDK 2.4.0). Headers the real server adds for
 * CORS ({@code vary}, {@code access-control-allow-credentials}) and {@code date} are not asserted.
 */
class IngressApiTest {
  // 2026-11-22T00:43:43.058Z: with ?delay=10s the real server answered executionTime
  // 00:43:53.058000000Z
  private static final Instant NOW = Instant.parse("2026-11-22T00:43:43.058Z");

  private final IngressFakes.FakeDispatcher dispatcher = new IngressFakes.FakeDispatcher();
  private final IngressApi api =
      new IngressApi(
          IngressFakes.captureSchemas(),
          dispatcher,
          Clock.fixed(NOW, ZoneOffset.UTC),
          new Random(7));

  private HttpResponse send(String method, String uri, String body, String... headers) {
    List<Map.Entry<String, String>> h = new ArrayList<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(Map.entry(headers[i], headers[i + 1]));
    }
    return api.handle(
            new HttpRequest(
                method, uri, h, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)))
        .join();
  }

  private HttpResponse postJson(String uri, String body, String... extra) {
    String[] h = new String[extra.length + 2];
    h[0] = "content-type";
    h[1] = "application/json";
    System.arraycopy(extra, 0, h, 2, extra.length);
    return send("POST", uri, body, h);
  }

  private static String body(HttpResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static String header(HttpResponse r, String name) {
    return r.headers().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private static void assertIngressError(HttpResponse r, int status, String message) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(body(r))
        .isEqualTo(
            "{\"code\":"
                + status
                + ",\"message\":"
                + IngressErrors.JSON.getNodeFactory().textNode(message).toString()
                + ",\"source\":\"ingress\"}");
    assertThat(header(r, "x-restate-error-source")).isEqualTo("ingress");
    assertThat(header(r, "content-type")).isEqualTo("application/json");
    assertThat(header(r, "x-restate-id")).isNull();
  }

  // ------------------------------------------------------------------ calls

  @Test
  void callReturnsHandlerOutputWithItsContentTypeAndInvocationId() {
    // real: 200, x-restate-id: inv_…, content-type: application/json, body "Hello bob"
    HttpResponse r = postJson("/CaptureServicesGreeter/greet", "\"bob\"");
    assertThat(r.status()).isEqualTo(200);
    assertThat(body(r)).isEqualTo("\"Hello bob\"");
    assertThat(header(r, "content-type")).isEqualTo("application/json");
    InvocationRequest req = dispatcher.calls.get(0);
    assertThat(header(r, "x-restate-id")).isEqualTo(req.id().toString()).startsWith("inv_1");
    assertThat(req.service()).isEqualTo("CaptureServicesGreeter");
    assertThat(req.handler()).isEqualTo("greet");
    assertThat(req.key()).isNull();
    assertThat(req.executionTimeMillis()).isZero();
    // unkeyed: the partition key is one of the 512 buckets of the service
    boolean inBucket = false;
    for (int b = 0; b < PartitionKeys.UNKEYED_BUCKETS; b++) {
      inBucket |= PartitionKeys.bucket("CaptureServicesGreeter", b) == req.id().partitionKey();
    }
    assertThat(inBucket).isTrue();
    // a call also accepts GET and a content-type with parameters
    assertThat(
            send(
                    "GET",
                    "/CaptureServicesGreeter/greet",
                    "\"bob\"",
                    "content-type",
                    "application/json; charset=utf-8")
                .status())
        .isEqualTo(200);
  }

  @Test
  void headersAreForwardedWithIngressPathFirst() {
    // real (Java SDK echo of ctx.request().headers()):
    // x-restate-ingress-path=/CaptureServicesGreeter/headers?x=1,
    // accept, user-agent, x-foo; connection, host and idempotency-key are not forwarded
    send(
        "POST",
        "/CaptureServicesGreeter/headers?x=1",
        null,
        "host",
        "127.0.0.1:8080",
        "connection",
        "keep-alive",
        "x-foo",
        "bar",
        "idempotency-key",
        "hk1",
        "idempotency-expires",
        "x",
        "accept",
        "*/*");
    InvocationRequest req = dispatcher.calls.get(0);
    assertThat(req.headers())
        .containsExactly(
            Map.entry("x-restate-ingress-path", "/CaptureServicesGreeter/headers?x=1"),
            Map.entry("x-foo", "bar"),
            Map.entry("accept", "*/*"));
    assertThat(req.idempotencyKey()).isEqualTo("hk1");
  }

  @Test
  void terminalFailureUsesItsCodeAsStatus() {
    // real: 409, x-restate-id, x-restate-error-source: invocation,
    // {"code":409,"message":"boom","source":"invocation"}
    dispatcher.callAnswer = r -> Outcome.failure(409, "boom");
    HttpResponse r = postJson("/CaptureServicesGreeter/fail", "\"bob\"");
    assertThat(r.status()).isEqualTo(409);
    assertThat(body(r)).isEqualTo("{\"code\":409,\"message\":\"boom\",\"source\":\"invocation\"}");
    assertThat(header(r, "x-restate-error-source")).isEqualTo("invocation");
    assertThat(header(r, "content-type")).isEqualTo("application/json");
    assertThat(header(r, "x-restate-id")).isEqualTo(dispatcher.calls.get(0).id().toString());
  }

  @Test
  void unknownServiceAndHandler() {
    assertIngressError(
        postJson("/Nope/greet", "\"bob\""),
        404,
        "service 'Nope' not found, make sure to register the service before calling it.");
    assertIngressError(
        postJson("/CaptureServicesGreeter/nope", "\"bob\""),
        404,
        "the service 'CaptureServicesGreeter' exists, but the handler 'nope' was not found, check that the "
            + "handler exists in the latest registered service version.");
    // real: the service is looked up before the path shape is checked
    assertIngressError(
        send("GET", "/a/b/c/d/e", null),
        404,
        "service 'a' not found, make sure to register the service before calling it.");
  }

  @Test
  void badPaths() {
    String badPath =
        "bad path, expected either /:service-name/:handler or /:object-name/:object-key/:handler";
    // missing key on a virtual object, a key on a plain service, a bad /send suffix: all 400
    assertIngressError(postJson("/CaptureServicesCounter/add", "1"), 400, badPath);
    assertIngressError(postJson("/CaptureServicesGreeter/k1/greet", "\"bob\""), 400, badPath);
    assertIngressError(postJson("/CaptureServicesGreeter/greet/sendx", "\"bob\""), 400, badPath);
    assertIngressError(postJson("/CaptureServicesGreeter//greet", "\"bob\""), 400, badPath);
    assertIngressError(send("GET", "/", null), 400, "bad path: /");
    assertIngressError(
        send("GET", "/CaptureServicesGreeter", null), 400, "bad path: /CaptureServicesGreeter");
  }

  @Test
  void wrongMethodIs405() {
    assertIngressError(
        send("PUT", "/CaptureServicesGreeter/greet", "\"bob\"", "content-type", "application/json"),
        405,
        "method not allowed");
    assertIngressError(
        send("DELETE", "/CaptureServicesGreeter/greet", null), 405, "method not allowed");
  }

  @Test
  void privateServiceIsRejected() {
    // real: after PATCH /services/X {"public":false}
    assertIngressError(
        postJson("/Hidden/greet", "\"bob\""), 400, "the invoked service is not public");
  }

  @Test
  void inputValidation() {
    assertIngressError(
        send("POST", "/CaptureServicesGreeter/greet", "bob", "content-type", "text/plain"),
        400,
        "input validation error: Content-type 'text/plain' does not match 'application/json'");
    assertIngressError(
        send("POST", "/CaptureServicesGreeter/greet", null),
        400,
        "input validation error: Empty content-type");
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet", null),
        400,
        "input validation error: Empty body not allowed");
    assertIngressError(
        postJson("/CaptureServicesGreeter/headers", "\"x\""),
        400,
        "input validation error: Expected body and content-type to be empty, but wasn't with content-type "
            + "'Some(\"application/json\")'");
    assertThat(dispatcher.calls).isEmpty();
  }

  @Test
  void headersThatAreNotVisibleAsciiAreRejectedLikeRestate() {
    // real: curl -H $'x-foo: \xc3\xa9' → 400 bad header x-foo: ToStrError { _priv: () } (Netty
    // reads bytes as ISO-8859-1)
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet", "\"bob\"", "x-foo", "\u00c3\u00a9"),
        400,
        "bad header x-foo: ToStrError { _priv: () }");
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet", "\"bob\"", "idempotency-key", "\u00e9"),
        400,
        "bad header idempotency-key: ToStrError { _priv: () }");
    assertIngressError(
        send(
            "POST",
            "/CaptureServicesGreeter/greet",
            "\"bob\"",
            "content-type",
            "application/json\u00e9"),
        400,
        "bad header content-type: ToStrError { _priv: () }");
    assertThat(dispatcher.calls).isEmpty();
  }

  @Test
  void checksComeInRestatesOrder() {
    // real: 400 bad path before 405, 404/400 of handler and privacy before 405, input before delay
    assertIngressError(
        send("DELETE", "/CaptureServicesGreeter/greet/x/y", null),
        400,
        "bad path, expected either /:service-name/:handler or /:object-name/:object-key/:handler");
    assertIngressError(
        send("DELETE", "/Nope/greet", null),
        404,
        "service 'Nope' not found, make sure to register the service before calling it.");
    assertIngressError(
        send("DELETE", "/Hidden/greet", null), 400, "the invoked service is not public");
    assertIngressError(
        send("GET", "/CaptureServicesGreeter/greet?delay=1s", null),
        400,
        "input validation error: Empty content-type");
    // names are not percent-decoded, keys are (a bad escape stays as written)
    assertIngressError(
        postJson("/CaptureServices%47reeter/greet", "\"bob\""),
        404,
        "service 'CaptureServices%47reeter' not found, make sure to register the service before calling it.");
    assertIngressError(
        postJson("/CaptureServicesCounter/a%ff/add", "1"),
        400,
        "bad path, cannot decode key: FromUtf8Error { bytes: [97, 255], error: Utf8Error { valid_up_to: 1, "
            + "error_len: Some(1) } }");
    assertThat(postJson("/CaptureServicesCounter/a%zz/add", "1").status()).isEqualTo(200);
    assertThat(dispatcher.calls.get(dispatcher.calls.size() - 1).key()).isEqualTo("a%zz");
  }

  @Test
  void corsLikeRestatesIngress() {
    // real: OPTIONS → 200, mirrors origin, method and headers; other answers carry vary +
    // credentials
    HttpResponse pre =
        send(
            "OPTIONS",
            "/CaptureServicesGreeter/greet",
            null,
            "origin",
            "http://a.b",
            "access-control-request-method",
            "PUT",
            "access-control-request-headers",
            "x-foo, content-type");
    assertThat(pre.status()).isEqualTo(200);
    assertThat(pre.body()).isEmpty();
    assertThat(pre.headers())
        .containsExactly(
            Map.entry("access-control-allow-credentials", "true"),
            Map.entry(
                "vary", "origin, access-control-request-method, access-control-request-headers"),
            Map.entry("access-control-allow-methods", "PUT"),
            Map.entry("access-control-allow-headers", "x-foo, content-type"),
            Map.entry("access-control-allow-origin", "http://a.b"));
    HttpResponse r = postJson("/Nope/greet", "\"bob\"", "origin", "http://a.b");
    assertThat(r.status()).isEqualTo(404);
    assertThat(header(r, "access-control-allow-origin")).isEqualTo("http://a.b");
    assertThat(header(r, "access-control-allow-credentials")).isEqualTo("true");
    assertThat(header(postJson("/CaptureServicesGreeter/greet", "\"bob\""), "vary"))
        .isEqualTo("origin, access-control-request-method, access-control-request-headers");
  }

  @Test
  void objectKeyIsPercentDecoded() {
    // real: POST /CaptureServicesCounter/a%2Fb%20c/add → 200
    HttpResponse r = postJson("/CaptureServicesCounter/a%2Fb%20c+d/add", "1");
    assertThat(r.status()).isEqualTo(200);
    InvocationRequest req = dispatcher.calls.get(0);
    assertThat(req.key()).isEqualTo("a/b c+d");
    assertThat(req.id().partitionKey()).isEqualTo(PartitionKeys.keyed("a/b c+d"));
  }

  @Test
  void voidOutputHasNoContentType() {
    // real: POST /CaptureServicesWf/w1/signal → 200, x-restate-id, content-length 0, no
    // content-type
    dispatcher.callAnswer = r -> Outcome.success(new byte[0]);
    HttpResponse r = postJson("/CaptureServicesWf/w1/signal", "\"sig\"");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "content-type")).isNull();
    assertThat(header(r, "x-restate-id")).isNotNull();
  }

  // ------------------------------------------------------------------ sends and delays

  @Test
  void sendIsAccepted() {
    // real: 202, content-type application/json, x-restate-id,
    // {"invocationId":"inv_…","status":"Accepted"}
    HttpResponse r = postJson("/CaptureServicesGreeter/greet/send", "\"bob\"");
    assertThat(r.status()).isEqualTo(202);
    String id = dispatcher.submits.get(0).id().toString();
    assertThat(body(r)).isEqualTo("{\"invocationId\":\"" + id + "\",\"status\":\"Accepted\"}");
    assertThat(header(r, "x-restate-id")).isEqualTo(id);
    assertThat(header(r, "content-type")).isEqualTo("application/json");
    assertThat(dispatcher.calls).isEmpty();
  }

  @Test
  void delayedSendReportsExecutionTime() {
    // real:
    // {"invocationId":"…","executionTime":"2026-11-22T00:43:53.058000000Z","status":"Accepted"}
    for (String delay : List.of("10s", "PT10S", "10%20seconds")) {
      HttpResponse r = postJson("/CaptureServicesGreeter/greet/send?delay=" + delay, "\"bob\"");
      InvocationRequest req = dispatcher.submits.get(dispatcher.submits.size() - 1);
      assertThat(r.status()).isEqualTo(202);
      assertThat(req.executionTimeMillis()).isEqualTo(NOW.toEpochMilli() + 10_000);
      assertThat(body(r))
          .isEqualTo(
              "{\"invocationId\":\""
                  + req.id()
                  + "\",\"executionTime\":"
                  + "\"2026-11-22T00:43:53.058000000Z\",\"status\":\"Accepted\"}");
    }
    // humantime with spaces; a workflow run can be delayed too
    postJson("/CaptureServicesCounter/k/add/send?delay=1h%204m", "1");
    assertThat(dispatcher.submits.get(3).executionTimeMillis())
        .isEqualTo(NOW.toEpochMilli() + 64 * 60_000);
    assertThat(postJson("/CaptureServicesWf/w3/run/send?delay=1s", "\"in\"").status())
        .isEqualTo(202);
  }

  @Test
  void badDelays() {
    assertThat(body(postJson("/CaptureServicesGreeter/greet/send?delay=xyz", "\"bob\"")))
        .startsWith(
            "{\"code\":400,\"message\":\"bad delay query parameter, must be a ISO8601 duration: ");
    assertThat(postJson("/CaptureServicesGreeter/greet/send?delay=", "\"bob\"").status())
        .isEqualTo(400);
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet/send?delay=-5s", "\"bob\""),
        400,
        "bad delay query parameter, must be a ISO8601 duration: negative signed durations cannot be converted "
            + "to an unsigned duration");
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet?delay=10s", "\"bob\""),
        400,
        "cannot use the delay query parameter with calls. The delay is supported only with sends");
    assertThat(dispatcher.submits).isEmpty();
    assertThat(dispatcher.calls).isEmpty();
  }

  @Test
  void largeDelaysNeitherWrapNorFailWithA500() {
    // real (1.7.12): 213504d is accepted for 2611 (not 25 minutes later after an overflow)
    HttpResponse r = postJson("/CaptureServicesGreeter/greet/send?delay=213504d", "\"bob\"");
    assertThat(r.status()).isEqualTo(202);
    long at = dispatcher.submits.get(0).executionTimeMillis();
    assertThat(at).isEqualTo(NOW.toEpochMilli() + 213_504L * 86_400_000L);
    assertThat(body(r)).contains("\"executionTime\":\"2611-");
    String bad = "bad delay query parameter, must be a ISO8601 duration: ";
    String friendly = bad + "failed to parse input in the \"friendly\" duration format: ";
    // real: 400 for each, with these messages (no 500, no silent wrap to ~10 s)
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet/send?delay=18446744083709551616ns", "\"bob\""),
        400,
        friendly + "number too big to parse into 64-bit integer");
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet/send?delay=9223372036854775808ns", "\"bob\""),
        400,
        friendly
            + "value for nanoseconds is too big (or small) to fit into a signed 64-bit integer");
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet/send?delay=P99999999999999D", "\"bob\""),
        400,
        bad
            + "failed to set value for day unit on span: parameter 'days' is not in the required range of "
            + "-7304484..=7304484");
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet/send?delay=10000000d", "\"bob\""),
        400,
        friendly
            + "failed to set value for day unit on span: parameter 'days' is not in the required range of "
            + "-7304484..=7304484");
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet/send?delay=2562047788015216h", "\"bob\""),
        400,
        friendly
            + "failed to set value for hour unit on span: converting hours to seconds overflows a signed "
            + "64-bit integer");
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet/send?delay=1%20year%20ago", "\"bob\""),
        400,
        bad
            + "could not compute normalized relative span when all days are assumed to be 24 hours: using unit "
            + "'year' in span or configuration requires that a relative reference time be given "
            + "(`jiff::SpanRelativeTo::days_are_24_hours()` was given but this only permits using days and weeks "
            + "without a relative reference time)");
    assertIngressError(
        postJson("/CaptureServicesGreeter/greet/send?delay=1s%20ago", "\"bob\""),
        400,
        bad + "negative signed durations cannot be converted to an unsigned duration");
    // the largest delay restate-server can answer: up to 9999-12-31T23:59:59.999Z (it drops the
    // connection after that); Resolute refuses a later execution time with a 400
    assertThat(postJson("/CaptureServicesGreeter/greet/send?delay=2912117d", "\"bob\"").status())
        .isEqualTo(202);
    assertThat(body(postJson("/CaptureServicesGreeter/greet/send?delay=2912118d", "\"bob\"")))
        .isEqualTo(
            "{\"code\":400,\"message\":\""
                + bad
                + "the delay 251606995200000ms puts the execution time "
                + "after 9999-12-31T23:59:59.999Z\",\"source\":\"ingress\"}");
    assertThat(dispatcher.submits).hasSize(2);
  }

  @Test
  void idempotentSendTwiceIsPreviouslyAccepted() {
    // real: same x-restate-id both times; the second answer says PreviouslyAccepted
    HttpResponse first =
        postJson("/CaptureServicesGreeter/greet/send", "\"bob\"", "idempotency-key", "abc");
    HttpResponse second =
        postJson("/CaptureServicesGreeter/greet/send", "\"bob\"", "idempotency-key", "abc");
    // the id restate-server 1.7.12 gave this (service, handler, idempotency key)
    String id = "inv_10wL9B7y4Fpc4tSXRNlt1fImh3jrELbEaW";
    assertThat(body(first)).isEqualTo("{\"invocationId\":\"" + id + "\",\"status\":\"Accepted\"}");
    assertThat(body(second))
        .isEqualTo("{\"invocationId\":\"" + id + "\",\"status\":\"PreviouslyAccepted\"}");
    assertThat(header(second, "x-restate-id")).isEqualTo(id);
    assertThat(dispatcher.submits.get(0).idempotencyKey()).isEqualTo("abc");
  }

  @Test
  void workflowRunHasDeterministicIdAndRejectsIdempotencyKey() {
    // real: POST /CaptureServicesWf/w1/run/send → inv_12kpUQONmeFb2a93QCOcYCJNIHOQ697Mn7, twice →
    // PreviouslyAccepted
    HttpResponse r = postJson("/CaptureServicesWf/w1/run/send", "\"in\"");
    assertThat(header(r, "x-restate-id")).isEqualTo("inv_12kpUQONmeFb2a93QCOcYCJNIHOQ697Mn7");
    assertThat(body(postJson("/CaptureServicesWf/w1/run/send", "\"in\"")))
        .contains("PreviouslyAccepted");
    assertThat(dispatcher.submits.get(0).key()).isEqualTo("w1");
    assertIngressError(
        postJson("/CaptureServicesWf/w2/run", "\"again\"", "idempotency-key", "x"),
        400,
        "cannot use the idempotency key with workflow handlers. The handler invocation will already be "
            + "idempotent by the workflow key itself.");
  }

  // ------------------------------------------------------------------ /restate/...

  @Test
  void health() {
    HttpResponse r = send("GET", "/restate/health", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(header(r, "content-type")).isEqualTo("application/json");
    assertThat(body(r))
        .isEqualTo(
            "{\"services\":[\"CaptureServicesCounter\",\"CaptureServicesGreeter\",\"CaptureServicesWf\",\"Hidden\"]}");
    assertIngressError(send("POST", "/restate/health", null), 405, "method not allowed");
    assertIngressError(send("GET", "/restate/foo", null), 404, "not found");
  }

  @Test
  void awakeables() {
    assertIngressError(
        postJson("/restate/awakeables/bad/resolve", "\"x\""),
        400,
        "bad awakeable id 'bad': bad format");
    assertIngressError(
        postJson("/restate/a/bad/resolve", "\"x\""), 400, "bad awakeable id 'bad': bad format");
    assertIngressError(
        send("GET", "/restate/awakeables/bad/resolve", null), 405, "method not allowed");
    assertIngressError(postJson("/restate/awakeables/bad/foo", "\"x\""), 404, "not found");
    // as restate-server 1.7.12: an empty id inside the path is kept (400), a trailing slash is not
    assertIngressError(
        postJson("/restate/awakeables//resolve", "\"x\""), 400, "bad awakeable id '': bad length");
    assertIngressError(postJson("/restate/awakeables/abc//resolve", "\"x\""), 404, "not found");

    AwakeableId id =
        AwakeableId.signal(InvocationId.parse("inv_1kQpAff5NDuW1d3SW7ApYUg4i74a5cZZXV"), 17);
    // real: 202, empty body, no content-type (also for an invocation that already completed)
    HttpResponse ok = postJson("/restate/awakeables/" + id + "/resolve", "\"x\"");
    assertThat(ok.status()).isEqualTo(202);
    assertThat(ok.body()).isEmpty();
    assertThat(header(ok, "content-type")).isNull();
    assertThat(((Outcome.Success) dispatcher.awakeables.get(id)).value())
        .isEqualTo("\"x\"".getBytes(StandardCharsets.UTF_8));
    assertThat(
            send("POST", "/restate/a/" + id + "/reject", "nope", "content-type", "text/plain")
                .status())
        .isEqualTo(202);
    assertThat(dispatcher.awakeables.get(id)).isEqualTo(new Outcome.Failure(500, "nope"));
  }

  @Test
  void outputAndAttachById() {
    InvocationId done = InvocationId.parse("inv_19yJsim8TEyU7wEq6YaPgBpgu2vLIkbSr3");
    InvocationId failed = InvocationId.parse("inv_1kQpAff5NDuW1d3SW7ApYUg4i74a5cZZXV");
    InvocationId running = InvocationId.parse("inv_10T5Thwsbi8d0JDxZeFLA13B9pVfwQCb9v");
    dispatcher.completed.put(
        done, Outcome.success("\"Hello bob\"".getBytes(StandardCharsets.UTF_8)));
    dispatcher.completed.put(failed, Outcome.failure(409, "boom"));
    dispatcher.running.add(running);

    for (String op : List.of("output", "attach")) {
      HttpResponse r = send("GET", "/restate/invocation/" + done + "/" + op, null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(body(r)).isEqualTo("\"Hello bob\"");
      assertThat(header(r, "x-restate-id")).isEqualTo(done.toString());
      assertThat(header(r, "content-type")).isEqualTo("application/json");
    }
    HttpResponse f = send("GET", "/restate/invocation/" + failed + "/output", null);
    assertThat(f.status()).isEqualTo(409);
    assertThat(body(f)).isEqualTo("{\"code\":409,\"message\":\"boom\",\"source\":\"invocation\"}");
    assertThat(header(f, "x-restate-error-source")).isEqualTo("invocation");
    assertThat(header(f, "x-restate-id")).isEqualTo(failed.toString());

    // real: 470 while running (HTTP/1.1 470 <none>)
    assertIngressError(
        send("GET", "/restate/invocation/" + running + "/output", null),
        470,
        "the invocation exists but has not completed yet");
    assertIngressError(
        send("GET", "/restate/invocation/bad/output", null),
        400,
        "bad invocation id 'bad': bad format");
    assertIngressError(
        send("POST", "/restate/invocation/" + done + "/output", null), 405, "method not allowed");
    assertIngressError(send("GET", "/restate/invocation/" + done + "/foo", null), 404, "not found");
  }

  @Test
  void outputAndAttachByIdempotencyKeyAndWorkflow() {
    // real: /restate/invocation/CaptureServicesGreeter/greet/abc2/output → x-restate-id
    // inv_19yJsim8TEyU7wEq6YaPgBpgu2vLIkbSr3
    InvocationId idem = InvocationId.parse("inv_19yJsim8TEyU7wEq6YaPgBpgu2vLIkbSr3");
    InvocationId wf = InvocationId.parse("inv_12kpUQONmeFb2a93QCOcYCJNIHOQ697Mn7");
    dispatcher.completed.put(
        idem, Outcome.success("\"Hello bob\"".getBytes(StandardCharsets.UTF_8)));
    dispatcher.completed.put(wf, Outcome.success("\"in:sig\"".getBytes(StandardCharsets.UTF_8)));

    HttpResponse r =
        send("GET", "/restate/invocation/CaptureServicesGreeter/greet/abc2/attach", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(header(r, "x-restate-id")).isEqualTo(idem.toString());
    HttpResponse w = send("GET", "/restate/workflow/CaptureServicesWf/w1/output", null);
    assertThat(body(w)).isEqualTo("\"in:sig\"");
    assertThat(header(w, "x-restate-id")).isEqualTo(wf.toString());
    assertThat(header(w, "content-type")).isEqualTo("application/json");

    assertIngressError(
        send("GET", "/restate/invocation/CaptureServicesGreeter/greet/zzz/output", null),
        404,
        "invocation not found");
    assertIngressError(
        send("GET", "/restate/workflow/CaptureServicesWf/nope/output", null),
        404,
        "invocation not found");
    // more than 7 slashes: restate-server's bad path naming the path
    assertIngressError(
        send("GET", "/restate/invocation/CaptureServicesCounter/add/zz/x/y/output/z", null),
        400,
        "bad path: /restate/invocation/CaptureServicesCounter/add/zz/x/y/output/z");
    // segments after the operation are ignored; service and idempotency key are taken raw
    assertThat(
            body(
                send(
                    "GET",
                    "/restate/invocation/CaptureServicesGreeter/greet/abc2/output/extra",
                    null)))
        .isEqualTo("\"Hello bob\"");
    assertIngressError(
        send("GET", "/restate/invocation/Nope/greet/abc2/output", null),
        404,
        "service 'Nope' not found, make sure to register the service before calling it.");
    assertIngressError(
        send("GET", "/restate/invocation/CaptureServicesGreeter/greet/abc%32/output", null),
        404,
        "invocation not found");
    assertIngressError(
        send("GET", "/restate/workflow/CaptureServicesWf/w1/foo", null), 404, "not found");
    assertIngressError(
        send("GET", "/restate/invocation/CaptureServicesCounter/add/zz/output", null),
        400,
        "bad path, expected either /restate/invocation/:invocation_id/output or /restate/invocation/:invocation_id/attach"
            + " or /restate/invocation/:invocation_target/:idempotency_key/output or "
            + "/restate/invocation/:invocation_target/:idempotency_key/attach");
    assertIngressError(
        send("GET", "/restate/workflow/CaptureServicesWf/output", null),
        400,
        "bad path, expected either /restate/workflow/:workflow_name/:workflow_key/output or "
            + "/restate/workflow/:workflow_name/:workflow_key/attach");
  }
}
