package dev.resolute.server.schema;

import java.time.Duration;

/**
 * Service options changed through the admin API ({@code PATCH /services/{name}}), stored in the
 * schema registry beside the manifests. They take the place of the service-level values of the
 * manifest; a handler-level value of the manifest still wins, as in restate-server 1.7.12 (a
 * workflow's {@code run} handler keeps its own completion retention, a handler its own idempotency
 * retention).
 *
 * <p>Invariant: an override belongs to one revision of its service. Registering a new revision
 * starts from the new manifest again (restate-server does the same), so {@link ServiceBuilder}
 * applies an override only to the revision it names. Every field is nullable (= not changed);
 * durations are milliseconds so the persisted form needs no Jackson time module.
 *
 * @param publicAccess whether the service may be called through the ingress
 */
public record ServiceOverride(
    int revision,
    Boolean publicAccess,
    Long idempotencyRetentionMillis,
    Long workflowCompletionRetentionMillis,
    Long journalRetentionMillis,
    Long inactivityTimeoutMillis,
    Long abortTimeoutMillis) {

  /** Nothing changed yet, for {@code revision}. */
  public static ServiceOverride none(int revision) {
    return new ServiceOverride(revision, null, null, null, null, null, null);
  }

  /** This override with every field {@code patch} sets taken from {@code patch}. */
  public ServiceOverride merge(ServiceOverride patch) {
    return new ServiceOverride(
        revision,
        pick(patch.publicAccess, publicAccess),
        pick(patch.idempotencyRetentionMillis, idempotencyRetentionMillis),
        pick(patch.workflowCompletionRetentionMillis, workflowCompletionRetentionMillis),
        pick(patch.journalRetentionMillis, journalRetentionMillis),
        pick(patch.inactivityTimeoutMillis, inactivityTimeoutMillis),
        pick(patch.abortTimeoutMillis, abortTimeoutMillis));
  }

  static Long millis(Duration d) {
    return d == null ? null : d.toMillis();
  }

  private static <T> T pick(T patch, T current) {
    return patch != null ? patch : current;
  }
}
