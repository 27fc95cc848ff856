package dev.resolute.server.discovery;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.resolute.server.schema.SchemaException;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.transport.UnaryResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a deployment's {@code /discover} answer can do to registration: the manifest reader and
 * validation ({@link DiscoveryClient#validate}), building the schemas ({@code SchemaRegistry
 * .register}), registering it a second time (revisions and compatibility checks) and the registry
 * file written for a restart. The contract: a registered deployment or a {@link SchemaException}
 * (admin's coded 4xx/5xx answer); a registered manifest is read back from the registry file as the
 * same service schemas, so a restart cannot fail on what was accepted.
 *
 * <p>Input: the {@code content-type} on the first line, then the body. Seeds: manifests of the
 * tests and of the official SDKs.
 */
class ManifestFuzzTest {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("manifest-fuzz");
      DIR.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void discover(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** Called once by the standalone Jazzer driver ({@code scripts/fuzz}) before fuzzing. */
  public static void fuzzerInitialize() {
    dev.resolute.server.FuzzLogging.off();
  }

  public static void fuzzerTestOneInput(byte[] input) {
    int nl = 0;
    while (nl < input.length && input[nl] != '\n') {
      nl++;
    }
    String contentType = new String(input, 0, nl, StandardCharsets.ISO_8859_1);
    byte[] body = nl < input.length ? Arrays.copyOfRange(input, nl + 1, input.length) : new byte[0];
    UnaryResponse resp =
        new UnaryResponse(
            200,
            List.of(
                Map.entry("content-type", contentType), Map.entry("x-restate-server", "fuzz/1")),
            body,
            "HTTP/2.0");
    DiscoveredEndpoint ep;
    try {
      ep = DiscoveryClient.validate("http://deployment/", false, resp);
    } catch (SchemaException refused) {
      return;
    }
    try {
      Files.deleteIfExists(DIR.resolve("schema-registry.json"));
      SchemaRegistry registry = SchemaRegistry.open(DIR);
      try {
        registry.register(ep, Map.of("x-h", "v"), Map.of(), false, false, false);
      } catch (SchemaException refused) {
        return;
      }
      DiscoveredEndpoint second =
          new DiscoveredEndpoint(
              "http://deployment-2/", true, ep.manifest(), ep.sdkVersion(), ep.manifestVersion());
      try {
        registry.register(second, Map.of(), Map.of(), false, false, false);
      } catch (SchemaException refused) {
        // a second revision may be refused (compatibility): the first one stays
      }
      Map<String, ServiceSchema> before = byName(registry.services());
      Map<String, ServiceSchema> after = byName(SchemaRegistry.open(DIR).services());
      if (!before.equals(after)) {
        throw new AssertionError("the registry file reads back " + after + " instead of " + before);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, ServiceSchema> byName(List<ServiceSchema> services) {
    Map<String, ServiceSchema> m = new TreeMap<>();
    for (ServiceSchema s : services) {
      m.put(s.name(), s);
    }
    return m;
  }
}
