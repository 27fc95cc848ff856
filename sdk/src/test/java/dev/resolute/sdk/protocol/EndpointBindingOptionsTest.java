package dev.resolute.sdk.protocol;

import static dev.resolute.sdk.protocol.Frames.end;
import static dev.resolute.sdk.protocol.Frames.f;
import static dev.resolute.sdk.protocol.Frames.input;
import static dev.resolute.sdk.protocol.Frames.outputValue;
import static dev.resolute.sdk.protocol.Frames.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.sdk.HandlerRunner;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.endpoint.definition.InvocationRetryPolicy;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.internal.endpoint.EndpointHandler;
import dev.resolute.sdk.internal.endpoint.ManifestBuilder;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * {@code Endpoint.bind(service, HandlerRunner.Options, configurator)}: per-service executor and
 * options.
 */
class EndpointBindingOptionsTest {
  static ServiceDefinition whereService(String name) {
    return ServiceDefinition.service(name)
        .handler(
            "where",
            Void.class,
            String.class,
            (ctx, v) -> Thread.currentThread().getName().replaceAll("-\\d+$", ""))
        .build();
  }

  @Test
  void handlersOfAServiceBoundWithAnExecutorRunOnIt() throws Exception {
    ExecutorService own =
        Executors.newFixedThreadPool(
            1,
            r -> {
              Thread t = new Thread(r, "own-executor-1");
              t.setDaemon(true);
              return t;
            });
    try {
      ServiceDefinition mine = whereService("Mine");
      ServiceDefinition other = whereService("Other");
      EndpointHandler handler =
          new EndpointHandler(
              Endpoint.bind(mine, HandlerRunner.Options.withExecutor(own)).bind(other).build());
      InMemoryProtocolTest.play(
          handler,
          ProtocolCase.named("own executor", mine, "where")
              .send(f(start(1)), input(""))
              .expect(outputValue("\"own-executor\""), end())
              .build());
      InMemoryProtocolTest.play(
          handler,
          ProtocolCase.named("endpoint executor", other, "where")
              .send(f(start(1)), input(""))
              .expect(outputValue("\"resolute-handler\""), end())
              .build());
    } finally {
      own.shutdownNow();
    }
  }

  @Test
  void configuratorOptionsReachTheManifest() throws Exception {
    ServiceDefinition wf =
        ServiceDefinition.workflow("Flow")
            .workflow("run", Void.class, String.class, (ctx, v) -> "done")
            .shared("status", Void.class, String.class, (ctx, v) -> "ok")
            .build();
    Endpoint endpoint =
        Endpoint.bind(
                wf,
                HandlerRunner.Options.DEFAULT,
                conf ->
                    conf.documentation("a flow")
                        .addMetadata("team", "b")
                        .abortTimeout(Duration.ofMinutes(2))
                        .idempotencyRetention(Duration.ofHours(1))
                        .journalRetention(Duration.ofHours(2))
                        .workflowRetention(Duration.ofDays(3))
                        .ingressPrivate(true)
                        .enableLazyState(true)
                        .invocationRetryPolicy(
                            InvocationRetryPolicy.builder()
                                .initialInterval(Duration.ofMillis(250))
                                .maxInterval(Duration.ofSeconds(5))
                                .maxAttempts(3)
                                .onMaxAttempts(InvocationRetryPolicy.OnMaxAttempts.KILL))
                        .configureHandler(
                            "status",
                            h ->
                                h.inactivityTimeout(Duration.ofSeconds(30))
                                    .ingressPrivate(false)
                                    .invocationRetryPolicy(
                                        InvocationRetryPolicy.builder()
                                            .exponentiationFactor(3.0)
                                            .onMaxAttempts(
                                                InvocationRetryPolicy.OnMaxAttempts.PAUSE))))
            .build();

    JsonNode v4 = manifest(endpoint, 4).get("services").get(0);
    assertThat(v4.get("documentation").asText()).isEqualTo("a flow");
    assertThat(v4.get("metadata").get("team").asText()).isEqualTo("b");
    assertThat(v4.get("abortTimeout").asLong()).isEqualTo(120_000);
    assertThat(v4.get("idempotencyRetention").asLong()).isEqualTo(3_600_000);
    assertThat(v4.get("journalRetention").asLong()).isEqualTo(7_200_000);
    assertThat(v4.get("ingressPrivate").asBoolean()).isTrue();
    assertThat(v4.get("enableLazyState").asBoolean()).isTrue();
    assertThat(v4.get("retryPolicyInitialInterval").asLong()).isEqualTo(250);
    assertThat(v4.get("retryPolicyMaxInterval").asLong()).isEqualTo(5_000);
    assertThat(v4.get("retryPolicyMaxAttempts").asLong()).isEqualTo(3);
    assertThat(v4.get("retryPolicyOnMaxAttempts").asText()).isEqualTo("KILL");
    assertThat(v4.has("retryPolicyExponentiationFactor")).isFalse();
    JsonNode run = handler(v4, "run");
    assertThat(run.get("workflowCompletionRetention").asLong()).isEqualTo(3 * 86_400_000L);
    JsonNode status = handler(v4, "status");
    assertThat(status.get("inactivityTimeout").asLong()).isEqualTo(30_000);
    assertThat(status.get("ingressPrivate").asBoolean()).isFalse();
    assertThat(status.get("retryPolicyExponentiationFactor").asDouble()).isEqualTo(3.0);
    assertThat(status.get("retryPolicyOnMaxAttempts").asText()).isEqualTo("PAUSE");

    JsonNode v3 = manifest(endpoint, 3).get("services").get(0);
    assertThat(v3.get("abortTimeout").asLong()).isEqualTo(120_000);
    assertThat(v3.has("retryPolicyMaxAttempts")).isFalse();

    assertThat(endpoint.resolveService("Flow")).isSameAs(wf);
    assertThat(endpoint.getServiceDefinitions()).containsExactly(wf);
    assertThat(wf.getInvocationRetryPolicy().maxAttempts()).isEqualTo(3);
    assertThat(wf.getHandler("status").getInactivityTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void optionsThatDoNotApplyAreRejected() {
    ServiceDefinition svc = whereService("Plain");
    assertThatThrownBy(() -> svc.configure(c -> c.workflowRetention(Duration.ofDays(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workflow");
    assertThatThrownBy(
            () ->
                svc.configure(
                    c -> c.configureHandler("where", h -> h.workflowRetention(Duration.ofDays(1)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workflow");
    assertThatThrownBy(() -> svc.configure(c -> c.configureHandler("nope", h -> {})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> InvocationRetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InvocationRetryPolicy.builder().exponentiationFactor(0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(InvocationRetryPolicy.builder().maxAttempts(2).build())
        .isEqualTo(InvocationRetryPolicy.builder().maxAttempts(2).build());
  }

  @dev.resolute.sdk.annotation.Service
  public static class ExclusiveInService {
    @dev.resolute.sdk.annotation.Exclusive
    public void h(dev.resolute.sdk.Context ctx) {}
  }

  @dev.resolute.sdk.annotation.VirtualObject
  public static class ExclusiveInObject {
    @dev.resolute.sdk.annotation.Exclusive
    public void h(dev.resolute.sdk.ObjectContext ctx) {}
  }

  @Test
  void exclusiveIsAVirtualObjectHandlerOnly() {
    assertThatThrownBy(() -> Endpoint.bind(new ExclusiveInService()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@Exclusive");
    assertThat(
            Endpoint.bind(new ExclusiveInObject())
                .build()
                .resolveService("ExclusiveInObject")
                .getHandler("h")
                .getHandlerType())
        .isEqualTo(dev.resolute.sdk.endpoint.definition.HandlerType.EXCLUSIVE);
  }

  private static JsonNode manifest(Endpoint endpoint, int version) throws Exception {
    return new ObjectMapper()
        .readTree(
            ManifestBuilder.toJson(
                ManifestBuilder.build(
                    endpoint, version, EndpointManifest.ProtocolMode.BIDI_STREAM)));
  }

  private static JsonNode handler(JsonNode service, String name) {
    for (JsonNode h : service.get("handlers")) {
      if (h.get("name").asText().equals(name)) {
        return h;
      }
    }
    throw new AssertionError("no handler " + name);
  }
}
