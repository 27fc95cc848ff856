package dev.resolute.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The Resolute-SDK bench deployment has the official one's services, kinds and handlers. */
class BenchServicesParityTest {

  @Test
  void sameServicesKindsAndHandlersOnBothSdks() {
    Map<String, String> official = new TreeMap<>();
    dev.resolute.bench.services.BenchServices.endpoint()
        .getServiceDefinitions()
        .forEach(
            s -> {
              TreeSet<String> handlers = new TreeSet<>();
              s.getHandlers().forEach(h -> handlers.add(h.getName() + ":" + h.getHandlerType()));
              official.put(s.getServiceName(), s.getServiceType() + " " + handlers);
            });
    Map<String, String> ours = new TreeMap<>();
    dev.resolute.bench.rsdk.BenchServices.endpoint()
        .getServices()
        .forEach(
            s -> {
              TreeSet<String> handlers = new TreeSet<>();
              s.getHandlers().forEach(h -> handlers.add(h.getName() + ":" + h.getHandlerType()));
              ours.put(s.getServiceName(), s.getServiceType() + " " + handlers);
            });
    assertThat(official).containsOnlyKeys("Echo", "Counter", "Steps", "Caller", "Sleeper", "Flow");
    assertThat(ours).isEqualTo(official);
  }
}
