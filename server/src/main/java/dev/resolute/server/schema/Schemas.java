package dev.resolute.server.schema;

import java.util.List;
import java.util.Optional;

/**
 * Read side of the schema registry, used by the ingress, the invoker and the partition processors.
 * Implementations are thread-safe and return immutable snapshots.
 */
public interface Schemas {
  Optional<ServiceSchema> service(String name);

  Optional<DeploymentSchema> deployment(String id);

  List<ServiceSchema> services();

  List<DeploymentSchema> deployments();
}
