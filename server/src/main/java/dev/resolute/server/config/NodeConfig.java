package dev.resolute.server.config;

import java.util.Objects;

/**
 * The node port's top-level keys: {@code bind-address} (restate-server's node address, where it
 * serves {@code /metrics} and {@code /health}; env {@code RESTATE_BIND_ADDRESS}) and {@code
 * disable-prometheus} (env {@code RESTATE_DISABLE_PROMETHEUS}).
 *
 * @param bindAddress default {@code 0.0.0.0:5122}, as restate-server derives it from its default
 *     advertised address {@code http://127.0.0.1:5122/}
 * @param disablePrometheus when true nothing is recorded and {@code /metrics} shows only the
 *     RocksDB gauges read at scrape time, without the {@code cluster_name}/{@code node_name} labels
 *     (what restate-server 1.7.12 serves then)
 */
public record NodeConfig(BindAddress bindAddress, boolean disablePrometheus) {
  public static final BindAddress DEFAULT_BIND = new BindAddress("0.0.0.0", 5122);

  public NodeConfig {
    Objects.requireNonNull(bindAddress, "bind-address");
  }

  public static NodeConfig defaults() {
    return new NodeConfig(DEFAULT_BIND, false);
  }
}
