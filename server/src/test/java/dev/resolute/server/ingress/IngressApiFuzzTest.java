package dev.resolute.server.ingress;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.resolute.server.http.FuzzRequests;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.Schemas;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;

/**
 * The ingress request path — path segments and their percent-decoding ({@link PathSegments}),
 * {@code /restate/…} paths ({@link RestatePaths}), query ({@code ?delay=} through the duration
 * parser), headers (idempotency key, content type, forwarded headers) and body checks — on
 * arbitrary requests. The contract: every request gets an answer, and an answer with status 500
 * (which {@link IngressApi} gives only for an unexpected exception: the fake dispatcher never
 * fails) is a finding, as is an exception out of {@code handle}.
 *
 * <p>Input ({@link FuzzRequests}): {@code METHOD URI}, header lines, an empty line, the body.
 */
class IngressApiFuzzTest {
  private static final Schemas SCHEMAS = IngressFakes.captureSchemas();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T00:43:43.058Z"), ZoneOffset.UTC);

  @FuzzTest
  void request(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** Called once by the standalone Jazzer driver ({@code scripts/fuzz}) before fuzzing. */
  public static void fuzzerInitialize() {
    dev.resolute.server.FuzzLogging.off();
  }

  public static void fuzzerTestOneInput(byte[] input) {
    HttpRequest request = FuzzRequests.parse(input);
    IngressApi api =
        new IngressApi(SCHEMAS, new IngressFakes.FakeDispatcher(), CLOCK, new Random(7));
    HttpResponse r = api.handle(request).join();
    if (r.status() < 200 || r.status() >= 500) {
      throw new AssertionError(
          "status "
              + r.status()
              + " for "
              + request.method()
              + " "
              + request.uri()
              + ": "
              + new String(r.body(), StandardCharsets.UTF_8));
    }
  }
}
