package dev.resolute.server.config;

import java.io.IOException;
import java.io.Reader;
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
          throw new ConfigException(
              "cluster-name \""
                  + config.clusterName()
                  + "\" differs from \""
                  + cluster
                  + "\" which the data directory "
                  + dir
                  + " was created with");
        }
        if (partitions != config.defaultNumPartitions()) {
          throw new ConfigException(
              "default-num-partitions = "
                  + config.defaultNumPartitions()
                  + " differs from "
                  + partitions
                  + " which the data directory "
                  + dir
                  + " was created with; the partition count cannot change after the first start");
        }
        return partitions;
      }
      // written by hand: Properties.store adds a date comment, and formatting that date loads the
      // locale and time-zone data (~0.1 s of a first start)
      String text =
          "# written by Resolute at first start; do not edit\n"
              + "cluster-name="
              + escape(config.clusterName())
              + "\n"
              + "num-partitions="
              + config.defaultNumPartitions()
              + "\n"
              + "node-name="
              + escape(config.nodeName())
              + "\n";
      Path tmp = dir.resolve(FILE + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.ISO_8859_1);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return config.defaultNumPartitions();
    } catch (IOException e) {
      throw new ConfigException("cannot prepare data directory " + dir + ": " + e.getMessage());
    } catch (NumberFormatException e) {
      throw new ConfigException("corrupt " + file + ": " + e.getMessage());
    }
  }

  /** A property value as {@link Properties#load} reads it back: escapes, non-ASCII as \\uXXXX. */
  static String escape(String v) {
    StringBuilder b = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\', '=', ':', '#', '!' -> b.append('\\').append(c);
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\f' -> b.append("\\f");
        case ' ' -> b.append(i == 0 ? "\\ " : " ");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            String hex = Integer.toHexString(c);
            b.append("\\u").append("0".repeat(4 - hex.length())).append(hex);
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
