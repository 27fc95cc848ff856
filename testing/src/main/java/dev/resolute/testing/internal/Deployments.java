package dev.resolute.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * Registers a deployment through the admin API (test-support's {@code Deployments}), failing
 * unchecked.
 */
public final class Deployments {
  private Deployments() {}

  /** Registers {@code endpoint}; returns the response body; throws unless 200/201. */
  public static String register(URI adminUri, URI endpoint, boolean useHttp11) {
    try {
      return dev.resolute.testsupport.Deployments.register(
          adminUri.toString(), endpoint.toString(), useHttp11);
    } catch (IOException e) {
      throw new UncheckedIOException("registering " + endpoint + " at " + adminUri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering " + endpoint, e);
    }
  }
}
