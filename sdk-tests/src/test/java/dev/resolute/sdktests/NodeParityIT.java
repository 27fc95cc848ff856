package dev.resolute.sdktests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.testsupport.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeParity} with {@code @restatedev/restate-sdk} 1.14.5, plus the ingress client library
 * {@code @restatedev/restate-sdk-clients} 1.14.5 ({@code node/clients.mjs}) against each server's
 * ingress: both runs must print the same.
 */
class NodeParityIT extends NodeParity {
  @Override
  SdkDeployment.Sdk sdk() {
    return SdkDeployment.Sdk.NODE;
  }

  @Test
  void theIngressClientLibrarySeesTheSameOnBothServers() throws Exception {
    String onResolute = clients(server(Server.Kind.RESOLUTE));
    String onRestate = clients(server(Server.Kind.RESTATE));
    assertThat(onRestate)
        .contains("\"call\":3,", "\"workflowAttach\":\"bob@example.com:yes\"")
        .contains("metadata");
    assertThat(onResolute).isEqualTo(onRestate);
  }

  private static String clients(Server s) throws Exception {
    Path log = s.dir.resolve("clients.log");
    ChildProcess p =
        ChildProcess.start(
            List.of(
                "node",
                SdkDeployment.nodeDir().resolve("clients.mjs").toString(),
                "http://127.0.0.1:" + s.ingress),
            Map.of(),
            log);
    try {
      // the script prints one JSON line when it is done
      String out =
          p.awaitOutput(Pattern.compile("(?m)^(\\{\"call\".*\\})$"), Duration.ofSeconds(60))
              .group(1);
      return Transcript.normalize(out);
    } finally {
      p.kill9();
    }
  }
}
