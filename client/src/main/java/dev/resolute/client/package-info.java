/**
 * The ingress client: invoke handlers of a Restate-compatible server (Resolute or restate-server)
 * from code that is not itself a handler. Names mirror {@code dev.restate.client}: {@link
 * dev.resolute.client.Client#connect(String)}, {@code call}/{@code send}/{@code submit},
 * invocation, idempotent-invocation and workflow handles with {@code attach}/{@code getOutput},
 * awakeable resolve/reject. Every non-2xx answer of the ingress surfaces as {@link
 * dev.resolute.client.IngressException}.
 */
package dev.resolute.client;
