package dev.resolute.sdk.internal.endpoint;

import java.io.InputStream;
import java.util.Properties;

/** The {@code x-restate-server} value: {@code resolute-sdk-java/<version>}. */
public final class SdkVersion {
  public static final String VERSION = load();
  public static final String X_RESTATE_SERVER = "resolute-sdk-java/" + VERSION;

  private SdkVersion() {}

  private static String load() {
    try (InputStream in =
        SdkVersion.class.getResourceAsStream("/dev/resolute/sdk/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }
}
