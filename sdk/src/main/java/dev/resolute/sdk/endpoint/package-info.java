/** {@link dev.resolute.sdk.endpoint.Endpoint}: the services of one deployment. Public API. */
package dev.resolute.sdk.endpoint;
