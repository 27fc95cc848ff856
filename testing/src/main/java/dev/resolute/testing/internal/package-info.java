/** Internals of the test kit (servers, ports, registration); not an API, may change freely. */
package dev.resolute.testing.internal;
