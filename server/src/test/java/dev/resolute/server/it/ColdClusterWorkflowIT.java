package dev.resolute.server.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ClusterWorkflowIT} with cold followers ({@code cluster.warm-followers = false}): a node
 * that does not lead the workflow key's partition does not apply it, so every answer to a request
 * it forwards (run/send, approve, attach, output, a blocking run, an attach waiting before the
 * result) comes back as a forwarded reply from the leader. The answers must be the same.
 */
@Timeout(180)
class ColdClusterWorkflowIT extends ClusterWorkflowIT {
  @BeforeAll
  static void start() throws Exception {
    startCluster("cold-wf", false);
  }
}
