package dev.resolute.sdktests;

/**
 * {@link PythonParity} with the deployment registered with {@code "use_http_11": true} (what {@code
 * restate deployments register --use-http1.1} sends): both servers reach Hypercorn over HTTP/1.1
 * (h11), and the SDK answers in request/response mode.
 */
class PythonHttp11ParityIT extends PythonParity {
  @Override
  boolean http11() {
    return true;
  }
}
