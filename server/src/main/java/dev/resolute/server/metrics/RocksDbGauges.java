package dev.resolute.server.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * A few of restate-server's {@code restate_rocksdb_*} gauges for the partition store, read from
 * RocksDB's properties at scrape time: per column family ({@code db="db",cf="default"}: sizes,
 * memtables, keys, pending compaction) and per database ({@code db="db"}: running compactions and
 * flushes, block cache usage).
 */
public final class RocksDbGauges {
  /** A RocksDB property by name, or a negative value when it cannot be read (store closed). */
  @FunctionalInterface
  public interface Properties {
    long get(String property);
  }

  /** Our single RocksDB: restate-server calls its partition store {@code db}. */
  static final String DB = "db";

  static final String CF = "default";

  /** {restate series, RocksDB property} per column family. */
  static final String[][] PER_CF = {
    {"restate_rocksdb_estimate_live_data_size_bytes", "rocksdb.estimate-live-data-size"},
    {"restate_rocksdb_total_sst_files_size_bytes", "rocksdb.total-sst-files-size"},
    {"restate_rocksdb_live_sst_files_size_bytes", "rocksdb.live-sst-files-size"},
    {"restate_rocksdb_cur_size_active_mem_table_bytes", "rocksdb.cur-size-active-mem-table"},
    {"restate_rocksdb_cur_size_all_mem_tables_bytes", "rocksdb.cur-size-all-mem-tables"},
    {"restate_rocksdb_size_all_mem_tables_bytes", "rocksdb.size-all-mem-tables"},
    {"restate_rocksdb_num_immutable_mem_table", "rocksdb.num-immutable-mem-table"},
    {"restate_rocksdb_estimate_num_keys", "rocksdb.estimate-num-keys"},
    {
      "restate_rocksdb_estimate_pending_compaction_bytes",
      "rocksdb.estimate-pending-compaction-bytes"
    },
  };

  /** {restate series, RocksDB property} per database. */
  static final String[][] PER_DB = {
    {"restate_rocksdb_num_running_compactions", "rocksdb.num-running-compactions"},
    {"restate_rocksdb_num_running_flushes", "rocksdb.num-running-flushes"},
    {"restate_rocksdb_block_cache_usage_bytes", "rocksdb.block-cache-usage"},
  };

  private RocksDbGauges() {}

  static void register(PrometheusRegistry registry, Labels nodeLabels, Properties properties) {
    for (String[] g : PER_CF) {
      String property = g[1];
      registry.register(
          GaugeWithCallback.builder()
              .name(g[0])
              .help("RocksDB property " + property)
              .labelNames("db", "cf")
              .constLabels(nodeLabels)
              .callback(
                  cb -> {
                    long v = properties.get(property);
                    if (v >= 0) {
                      cb.call(v, DB, CF);
                    }
                  })
              .build());
    }
    for (String[] g : PER_DB) {
      String property = g[1];
      registry.register(
          GaugeWithCallback.builder()
              .name(g[0])
              .help("RocksDB property " + property)
              .labelNames("db")
              .constLabels(nodeLabels)
              .callback(
                  cb -> {
                    long v = properties.get(property);
                    if (v >= 0) {
                      cb.call(v, DB);
                    }
                  })
              .build());
    }
  }
}
