/**
 * Types shared by the SDK and the ingress client: {@link dev.resolute.common.Target}, {@link
 * dev.resolute.common.Request}, {@link dev.resolute.common.Output} and {@link
 * dev.resolute.common.Slice}. Public API.
 */
package dev.resolute.common;
