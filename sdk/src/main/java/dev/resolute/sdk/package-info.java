/**
 * The handler API: the five context types ({@link dev.resolute.sdk.Context}, {@link
 * dev.resolute.sdk.SharedObjectContext}, {@link dev.resolute.sdk.ObjectContext}, {@link
 * dev.resolute.sdk.SharedWorkflowContext}, {@link dev.resolute.sdk.WorkflowContext}), {@link
 * dev.resolute.sdk.DurableFuture} and its combinators, awakeables, durable promises and invocation
 * handles. Public API.
 */
package dev.resolute.sdk;
