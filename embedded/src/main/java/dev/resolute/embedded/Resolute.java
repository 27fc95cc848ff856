package dev.resolute.embedded;

/**
 * Entry point of the engine inside an application's own JVM.
 *
 * <pre>{@code
 * try (EmbeddedResolute resolute =
 *     Resolute.embedded().dataDir(Path.of("resolute-data")).bind(new Greeter()).start()) {
 *   String hi = resolute.call("Greeter", "greet", "\"Alice\"").bodyAsString();
 * }
 * }</pre>
 */
public final class Resolute {
  private Resolute() {}

  /** A builder for an engine embedded in this JVM: see {@link EmbeddedResolute.Builder}. */
  public static EmbeddedResolute.Builder embedded() {
    return new EmbeddedResolute.Builder();
  }
}
