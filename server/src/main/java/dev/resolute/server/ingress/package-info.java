/**
 * The HTTP ingress ({@link dev.resolute.server.ingress.IngressApi}): Restate's ingress URL scheme,
 * validation and error bodies, on top of the {@link dev.resolute.server.api.Dispatcher}.
 */
package dev.resolute.server.ingress;
