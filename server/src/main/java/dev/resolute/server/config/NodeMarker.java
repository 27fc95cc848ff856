package dev.resolute.server.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Pins what must not change after the first start of a data directory: the cluster name and the
 * number of partitions (keys are hashed onto partitions, so changing it would lose invocations).
 * Stored in {@code <data-dir>/resolute-node.properties}.
 */
public final class NodeMarker {
  public static final String FILE = "resolute-node.properties";

  private NodeMarker() {}

  /**
   * Creates the data directory and the marker on first start; afterwards checks the configuration
   * against it.
   *
   * @return the number of partitions to use (always the persisted one)
   * @throws ConfigException when cluster name or partition count differ from the persisted ones
   */
  public static int verifyOrCreate(ServerConfig config) {
    Path dir = config.dataDir();
    Path file = dir.resolve(FILE);
    try {
      Files.createDirectories(dir);
      if (Files.exists(file)) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(r);
        }
        String cluster = p.getProperty("cluster-name");
        int partitions = Integer.parseInt(p.getProperty("num-partitions", "-1"));
        if (cluster != null && !cluster.equals(config.clusterName())) {
          throw new ConfigException("cluster-name \"" + config.clusterName() + "\" differs from \"" + cluster
              + "\" which the data directory " + dir + " was created with");
        }
        if (partitions != config.defaultNumPartitions()) {
          throw new ConfigException("default-num-partitions = " + config.defaultNumPartitions()
              + " differs from " + partitions + " which the data directory " + dir
              + " was created with; the partition count cannot change after the first start");
        }
        return partitions;
      }
      Properties p = new Properties();
      p.setProperty("cluster-name", config.clusterName());
      p.setProperty("num-partitions", Integer.toString(config.defaultNumPartitions()));
      p.setProperty("node-name", config.nodeName());
      Path tmp = dir.resolve(FILE + ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "written by Resolute at first start; do not edit");
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return config.defaultNumPartitions();
    } catch (IOException e) {
      throw new ConfigException("cannot prepare data directory " + dir + ": " + e.getMessage());
    } catch (NumberFormatException e) {
      throw new ConfigException("corrupt " + file + ": " + e.getMessage());
    }
  }
}
