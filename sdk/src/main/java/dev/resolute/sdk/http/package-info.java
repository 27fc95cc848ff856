/**
 * Serving an endpoint over HTTP/2 (h2c) and HTTP/1.1: {@link
 * dev.resolute.sdk.http.ResoluteHttpServer}. Public API.
 */
package dev.resolute.sdk.http;
