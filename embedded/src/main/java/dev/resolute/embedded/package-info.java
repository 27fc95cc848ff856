/**
 * The engine inside an application's JVM: {@link dev.resolute.embedded.Resolute#embedded()} starts
 * a node with its own data directory and the durability of the server, invoking the services bound
 * to it in-process, with optional ingress and admin ports. The only public API of the module.
 */
package dev.resolute.embedded;
