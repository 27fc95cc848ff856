package dev.resolute.sdk.endpoint.definition;

/** The kind of a service. */
public enum ServiceType {
  SERVICE,
  VIRTUAL_OBJECT,
  WORKFLOW
}
