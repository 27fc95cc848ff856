package dev.resolute.bench.services;

import dev.restate.sdk.Context;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Service;

/** The smallest durable invocation: no journal entries besides input and output. */
@Service
public class Echo {
  @Handler
  public String echo(Context ctx, String in) {
    return in;
  }
}
