/**
 * Keys, errors and policies used by handlers: {@link dev.resolute.sdk.common.StateKey}, {@link
 * dev.resolute.sdk.common.DurablePromiseKey}, {@link dev.resolute.sdk.common.TerminalException} (in
 * the common module), {@link dev.resolute.sdk.common.TimeoutException}, {@link
 * dev.resolute.sdk.common.RetryPolicy}. Public API.
 */
package dev.resolute.sdk.common;
