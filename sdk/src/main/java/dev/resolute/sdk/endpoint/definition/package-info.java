/**
 * Service and handler definitions, built with {@link
 * dev.resolute.sdk.endpoint.definition.ServiceDefinition}'s builders (no annotation processor
 * needed) or derived from annotated classes. Public API.
 */
package dev.resolute.sdk.endpoint.definition;
