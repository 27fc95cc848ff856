package dev.resolute.bench.rsdk;

import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Service;

/** A service-to-service request/response call. */
@Service
public class Caller {
  @Handler
  public String call(Context ctx, String in) {
    return EchoClient.fromContext(ctx).echo(in).await();
  }
}
