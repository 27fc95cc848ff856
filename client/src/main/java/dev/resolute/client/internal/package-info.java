/** Implementation of the ingress client; not an API, may change freely. */
package dev.resolute.client.internal;
