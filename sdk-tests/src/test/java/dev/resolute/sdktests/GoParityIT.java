package dev.resolute.sdktests;

/** The Go SDK's core scenarios ({@link SdkParity}) on Resolute and on restate-server. */
class GoParityIT extends SdkParity {
  @Override
  SdkDeployment.Sdk sdk() {
    return SdkDeployment.Sdk.GO;
  }
}
