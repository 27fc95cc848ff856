/** Annotations that declare services, virtual objects, workflows and their handlers. Public API. */
package dev.resolute.sdk.annotation;
