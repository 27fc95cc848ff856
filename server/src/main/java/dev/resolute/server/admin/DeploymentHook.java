package dev.resolute.server.admin;

import dev.resolute.server.discovery.DiscoveredEndpoint;
import dev.resolute.server.schema.SchemaException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What runs beside a deployment's registration and removal, kept out of {@link DeploymentsResource}
 * so the registry code stays restate's: {@link ManifestDeclarations} turns Resolute's manifest
 * extensions (schedules, rates) into schedules and limit rules.
 */
public interface DeploymentHook {
  DeploymentHook NONE =
      new DeploymentHook() {
        @Override
        public void check(DiscoveredEndpoint ep) {}

        @Override
        public CompletableFuture<Void> registered(DiscoveredEndpoint ep) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> removed(Set<String> services) {
          return CompletableFuture.completedFuture(null);
        }
      };

  /** Before the registry stores {@code ep}: refuses what could not be applied after it. */
  void check(DiscoveredEndpoint ep) throws SchemaException;

  /** After the registry stored {@code ep} (not for a dry run); the answer waits for it. */
  CompletableFuture<Void> registered(DiscoveredEndpoint ep);

  /** After a removal left {@code services} without any deployment. */
  CompletableFuture<Void> removed(Set<String> services);
}
