package dev.resolute.sdktests;

/**
 * {@link NodeParity} with {@code @restatedev/restate-sdk} 1.17.2, which calls {@code
 * Promise.withResolvers} (Node.js 22+): on this Node.js 20 it runs with {@code node --import
 * with-resolvers.mjs}, a polyfill of that one function.
 */
class NodeLatestParityIT extends NodeParity {
  @Override
  SdkDeployment.Sdk sdk() {
    return SdkDeployment.Sdk.NODE_LATEST;
  }
}
