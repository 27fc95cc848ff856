package dev.resolute.sdktests;

/** The Rust SDK's core scenarios ({@link SdkParity}) on Resolute and on restate-server. */
class RustParityIT extends SdkParity {
  @Override
  SdkDeployment.Sdk sdk() {
    return SdkDeployment.Sdk.RUST;
  }
}
