package dev.resolute.server.admin;

import dev.restate.sdk.Context;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Service;

/** Official-SDK (2.4.0) test service used by the admin/transport ITs. */
@Service
public class AdmGreeter {
  @Handler
  public String greet(Context ctx, String name) {
    return "Hello " + name;
  }

  @Handler
  public void ping(Context ctx) {}
}
