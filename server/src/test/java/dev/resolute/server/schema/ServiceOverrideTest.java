package dev.resolute.server.schema;

import static dev.resolute.server.schema.SchemaRegistryTest.ep;
import static dev.resolute.server.schema.SchemaRegistryTest.svc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code PATCH /services/{name}} in the registry: what it changes, how long it holds. */
class ServiceOverrideTest {
  private static final String HANDLERS =
      "{\"name\":\"h\",\"ty\":\"EXCLUSIVE\"},"
          + "{\"name\":\"own\",\"ty\":\"EXCLUSIVE\",\"idempotencyRetention\":3000},"
          + "{\"name\":\"hidden\",\"ty\":\"EXCLUSIVE\",\"ingressPrivate\":true}";

  private static SchemaRegistry.RegistrationResult register(SchemaRegistry r, boolean force)
      throws SchemaException {
    return r.register(
        ep("http://a/", svc("Obj", "VIRTUAL_OBJECT", HANDLERS)),
        Map.of(),
        Map.of(),
        force,
        false,
        false);
  }

  private static ServiceOverride patch(
      Boolean pub, Long idem, Long wf, Long journal, Long inactivity, Long abort) {
    return new ServiceOverride(0, pub, idem, wf, journal, inactivity, abort);
  }

  @Test
  void changesTheServiceAndTheHandlersWithoutTheirOwnValue(@TempDir Path dir) throws Exception {
    SchemaRegistry r = SchemaRegistry.open(dir);
    register(r, false);
    ServiceSchema s =
        r.modifyService("Obj", patch(false, 300_000L, null, 7_200_000L, 5_000L, null));
    assertThat(s.isPublic()).isFalse();
    assertThat(s.handler("h").isPublic()).isFalse();
    assertThat(s.idempotencyRetention()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.handler("h").idempotencyRetention()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.handler("own").idempotencyRetention()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.handler("h").journalRetention()).isEqualTo(Duration.ofHours(2));
    assertThat(s.handler("h").inactivityTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.abortTimeout()).isEqualTo(Duration.ofMinutes(10));

    // a later patch keeps what the earlier one set; public again leaves a private handler private
    s = r.modifyService("Obj", patch(true, null, null, null, null, 60_000L));
    assertThat(s.isPublic()).isTrue();
    assertThat(s.handler("h").isPublic()).isTrue();
    assertThat(s.handler("hidden").isPublic()).isFalse();
    assertThat(s.idempotencyRetention()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.abortTimeout()).isEqualTo(Duration.ofMinutes(1));

    // persisted with the registry
    ServiceSchema reloaded = SchemaRegistry.open(dir).service("Obj").orElseThrow();
    assertThat(reloaded.idempotencyRetention()).isEqualTo(Duration.ofMinutes(5));
    assertThat(reloaded.handler("h").journalRetention()).isEqualTo(Duration.ofHours(2));
    assertThat(reloaded.abortTimeout()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aNewRevisionStartsFromItsManifest(@TempDir Path dir) throws Exception {
    SchemaRegistry r = SchemaRegistry.open(dir);
    register(r, false);
    r.modifyService("Obj", patch(false, 300_000L, null, null, null, null));
    register(r, true);
    ServiceSchema s = r.service("Obj").orElseThrow();
    assertThat(s.revision()).isEqualTo(2);
    assertThat(s.isPublic()).isTrue();
    assertThat(s.idempotencyRetention()).isEqualTo(Duration.ofDays(1));
    assertThat(SchemaRegistry.open(dir).snapshot().overrides()).isEmpty();
  }

  @Test
  void refusesUnknownServicesAndWorkflowRetentionElsewhere() throws Exception {
    SchemaRegistry r = SchemaRegistry.inMemory();
    register(r, false);
    assertThatThrownBy(() -> r.modifyService("Nope", patch(true, null, null, null, null, null)))
        .isInstanceOfSatisfying(
            SchemaException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.getMessage()).isEqualTo("The requested service 'Nope' does not exist");
            });
    assertThatThrownBy(() -> r.modifyService("Obj", patch(null, null, 1000L, null, null, null)))
        .isInstanceOfSatisfying(
            SchemaException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "modifying retention time for service type VirtualObject is unsupported");
            });
  }

  @Test
  void aWorkflowRunKeepsItsOwnCompletionRetention() throws Exception {
    SchemaRegistry r = SchemaRegistry.inMemory();
    r.register(
        ep(
            "http://w/",
            svc(
                "Flow",
                "WORKFLOW",
                "{\"name\":\"run\",\"ty\":\"WORKFLOW\",\"workflowCompletionRetention\":2000}")),
        Map.of(),
        Map.of(),
        false,
        false,
        false);
    r.register(
        ep("http://v/", svc("Plain", "WORKFLOW", "{\"name\":\"run\",\"ty\":\"WORKFLOW\"}")),
        Map.of(),
        Map.of(),
        false,
        false,
        false);
    assertThat(
            r.modifyService("Flow", patch(null, null, 3_600_000L, null, null, null))
                .workflowCompletionRetention())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(
            r.modifyService("Plain", patch(null, null, 3_600_000L, null, null, null))
                .handler("run")
                .workflowCompletionRetention())
        .isEqualTo(Duration.ofHours(1));
  }
}
