/**
 * The in-process transport between the node's invoker and the SDK endpoint of the same JVM. Not an
 * API: may change freely.
 */
package dev.resolute.embedded.internal;
