package dev.resolute.sdk.processor;

/** Shared bits of the generated sources. */
final class Writers {
  static final String GENERATED =
      "@javax.annotation.processing.Generated(\"dev.resolute.sdk.processor.ServiceProcessor\")";

  private Writers() {}

  static void header(Src o, ServiceModel s) {
    if (!s.packageName().isEmpty()) {
      o.line("package " + s.packageName() + ";");
      o.blank();
    }
  }
}
