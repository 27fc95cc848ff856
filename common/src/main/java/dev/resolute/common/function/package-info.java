/** Functional interfaces whose methods may throw checked exceptions. Public API. */
package dev.resolute.common.function;
