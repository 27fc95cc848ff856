package dev.resolute.bench.services;

import dev.restate.sdk.Context;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Service;

/** A service-to-service request/response call. */
@Service
public class Caller {
  @Handler
  public String call(Context ctx, String in) {
    return EchoClient.fromContext(ctx).echo(in).await();
  }
}
