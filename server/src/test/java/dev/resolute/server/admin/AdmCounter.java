package dev.resolute.server.admin;

import dev.restate.sdk.ObjectContext;
import dev.restate.sdk.SharedObjectContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Shared;
import dev.restate.sdk.annotation.VirtualObject;

/** Official-SDK (2.4.0) test virtual object used by the admin ITs. */
@VirtualObject
public class AdmCounter {
  @Handler
  public long add(ObjectContext ctx, long delta) {
    return delta;
  }

  @Shared
  @Handler
  public long get(SharedObjectContext ctx) {
    return 0;
  }
}
