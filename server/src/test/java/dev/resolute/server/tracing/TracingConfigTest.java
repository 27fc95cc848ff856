package dev.resolute.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.config.ConfigException;
import dev.resolute.server.config.ConfigLoader;
import dev.resolute.server.config.ServerConfig;
import dev.resolute.server.logging.JsonLayout;
import dev.resolute.server.pb.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracing keys as restate-server reads them, and the invocation fields of log lines. */
class TracingConfigTest {
  @TempDir Path tmp;

  @Test
  void tracingEndpointIsAppliedFromFileEnvAndCommandLine() throws Exception {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).tracing().enabled()).isFalse();
    List<String> notes = new ArrayList<>();
    ServerConfig cli =
        ConfigLoader.load(null, Map.of(), Map.of("tracing-endpoint", "http://h:4317"), notes);
    assertThat(cli.tracing().endpoint()).isEqualTo("http://h:4317");
    assertThat(notes).noneMatch(n -> n.contains("tracing-endpoint")); // applied, not warned
    ServerConfig env =
        ConfigLoader.load(
            null, Map.of("RESTATE_TRACING_ENDPOINT", "otlp+http://h:4318/v1/traces"), Map.of());
    assertThat(env.tracing().endpoint()).isEqualTo("otlp+http://h:4318/v1/traces");

    Path f = tmp.resolve("server.toml");
    Files.writeString(
        f,
        """
        tracing-endpoint = "http://a:4317"
        tracing-services-endpoint = "http://b:4317"
        tracing-filter = "debug"
        [tracing-headers]
        authorization = "Bearer x"
        """);
    notes.clear();
    ServerConfig file = ConfigLoader.load(f, Map.of(), Map.of(), notes);
    assertThat(file.tracing().endpoint()).isEqualTo("http://b:4317"); // services wins
    assertThat(file.tracing().headers()).containsEntry("authorization", "Bearer x");
    assertThat(notes).anyMatch(n -> n.contains("tracing-filter")); // still warned
    assertThat(ConfigLoader.load(tmpFile(file.toToml()), Map.of(), Map.of())).isEqualTo(file);
  }

  @Test
  void aBadEndpointIsRefusedWithItsKey() {
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of(), Map.of("tracing-endpoint", "ftp://h:1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid scheme")
        .hasMessageContaining("\"tracing-endpoint\"");
  }

  @Test
  void jsonLogLinesCarryTheInvocationFields() throws Exception {
    LoggerContext ctx = new LoggerContext();
    InvocationId id = new InvocationId(5, new byte[16]);
    LoggingEvent e;
    InvocationMdc.put(id, Target.newBuilder().setService("Svc").setHandler("h").build());
    try {
      e =
          new LoggingEvent(
              "x", ctx.getLogger("dev.resolute.x"), Level.WARN, "attempt failed", null, null);
      e.setMDCPropertyMap(org.slf4j.MDC.getCopyOfContextMap());
    } finally {
      InvocationMdc.clear();
    }
    assertThat(org.slf4j.MDC.get(InvocationMdc.INVOCATION_ID)).isNull();
    JsonLayout layout = new JsonLayout();
    layout.setContext(ctx);
    layout.start();
    JsonNode fields = new ObjectMapper().readTree(layout.doLayout(e)).get("fields");
    assertThat(fields.get("restate.invocation.id").asText()).isEqualTo(id.toString());
    assertThat(fields.get("rpc.service").asText()).isEqualTo("Svc");
    assertThat(fields.get("rpc.method").asText()).isEqualTo("h");
  }

  private Path tmpFile(String toml) throws Exception {
    Path f = tmp.resolve("dump.toml");
    Files.writeString(f, toml);
    return f;
  }
}
