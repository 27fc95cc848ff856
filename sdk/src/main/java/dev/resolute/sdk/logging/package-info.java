/**
 * Logging support: MDC keys {@code restateInvocationId}, {@code restateInvocationTarget}, {@code
 * restateInvocationStatus} (WAITING_START, REPLAYING, PROCESSING, CLOSED) are set on handler
 * threads; {@link dev.resolute.sdk.logging.ReplayAwareLogFilter} hides user logs during replay.
 * Public API.
 */
package dev.resolute.sdk.logging;
