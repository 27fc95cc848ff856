package dev.resolute.server.api;

/**
 * Restate's error codes (the {@code RT…} runtime and {@code META…} metadata codes restate-server
 * 1.7 declares), each with the meaning its documentation gives it. Only codes whose meaning is the
 * same here are used; messages that carry a code are written through {@link #tag()} or {@link
 * #code()} so their text stays byte-identical to restate-server's.
 *
 * <p>Lives in {@code server.api} because both the edge (admin, ingress, discovery) and the invoker
 * use it; the SDK never emits these codes, so it does not belong in {@code common}.
 */
public enum ErrorCode {
  RT0001(
      "The invocation response stream was aborted: no message arrived within the abort timeout."),
  RT0002("Restate cannot start because the configuration cannot be parsed."),
  RT0003("A message from the service is larger than the invoker's message size limit."),
  RT0004("The process cannot start because it could not bind to the configured address."),
  RT0005("RocksDB cannot be opened because its files are locked by another process."),
  RT0006("A generic error occurred while invoking the service."),
  RT0007(
      "The handler returned a retryable error; the invocation will be retried from its journal."),
  RT0009("The worker storage directory holds no storage format version (corrupt or too old)."),
  RT0010("Network error when interacting with the service endpoint."),
  RT0011("No deployment found for the given service."),
  RT0012("Protocol violation between the server and the SDK."),
  RT0013("The service endpoint supports none of the server's service protocol versions."),
  RT0014(
      "An in-flight invocation cannot resume: it was started with a now incompatible protocol version."),
  RT0015("The SDK does not support the service protocol version negotiated at discovery."),
  RT0016("Journal mismatch on replay: the handler's operations differ from the recorded journal."),
  RT0017(
      "An entry failed a precondition; it and the entries after it were discarded and the attempt is retried."),
  RT0018("A call or send from a handler targets a service handler that does not exist."),
  RT0019("The service answered Content Too Large / Payload Too Large."),
  RT0020(
      "The service's deployment uses a deprecated service protocol version; new requests are refused."),
  RT0021("The inactivity timeout is ignored for a deployment in Request/Response mode."),
  RT0022("The configured journal retention was clamped to the server's maximum."),
  META0003("The service endpoint cannot be reached to run discovery."),
  META0004("The deployment conflicts with the URI of an already registered deployment."),
  META0005("Deployment/service metadata cannot be propagated or persisted."),
  META0006(
      "The discovered service revision conflicts with an existing revision (type or handlers removed)."),
  META0009("The subscription is invalid (source, sink or options)."),
  META0010("The metadata storage directory holds data of an incompatible version."),
  META0011("The non-empty metadata storage directory has no version file."),
  META0012("The endpoint's service protocol versions are incompatible with this server."),
  META0013("The service endpoint sent a bad discovery response."),
  META0014("Discovery failed and the endpoint may only speak HTTP/1.1."),
  META0015("The endpoint announced bidirectional mode over a transport that cannot carry it."),
  META0016("The deployment cannot be updated: the new metadata is not compatible with the old."),
  META0017("The URI/ARN cannot be force-added: two or more deployments use it.");

  private final String meaning;

  ErrorCode(String meaning) {
    this.meaning = meaning;
  }

  /** The code as Restate writes it, e.g. {@code META0003}. */
  public String code() {
    return name();
  }

  /** {@code [META0003]}: the prefix restate-server puts before a coded message. */
  public String tag() {
    return "[" + name() + "]";
  }

  /** What the code means, from Restate's error code documentation. */
  public String meaning() {
    return meaning;
  }

  /** The code, or null when {@code code} is null. */
  public static String codeOf(ErrorCode code) {
    return code == null ? null : code.code();
  }
}
