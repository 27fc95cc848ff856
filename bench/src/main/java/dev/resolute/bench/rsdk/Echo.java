package dev.resolute.bench.rsdk;

import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Service;

/** The smallest durable invocation: no journal entries besides input and output. */
@Service
public class Echo {
  @Handler
  public String echo(Context ctx, String in) {
    return in;
  }
}
