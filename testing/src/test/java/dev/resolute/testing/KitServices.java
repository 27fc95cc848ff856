package dev.resolute.testing;

import dev.resolute.sdk.Context;
import dev.resolute.sdk.ObjectContext;
import dev.resolute.sdk.SharedObjectContext;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Service;
import dev.resolute.sdk.common.StateKey;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import java.time.Duration;

/** Small services for the test kit's own tests: one annotated, one built with the builder API. */
final class KitServices {
  private KitServices() {}

  @Service
  public static class Echo {
    @Handler
    public String echo(Context ctx, String in) {
      String step = ctx.run("step", String.class, () -> in.toUpperCase());
      ctx.sleep(Duration.ofMillis(10));
      return step;
    }
  }

  static final StateKey<Integer> COUNT = StateKey.of("count", Integer.class);

  static ServiceDefinition counter() {
    return ServiceDefinition.virtualObject("Counter")
        .handler(
            "add",
            Integer.class,
            Integer.class,
            (ObjectContext ctx, Integer delta) -> {
              int next = ctx.get(COUNT).orElse(0) + delta;
              ctx.set(COUNT, next);
              return next;
            })
        .shared(
            "get",
            Void.class,
            Integer.class,
            (SharedObjectContext ctx, Void v) -> ctx.get(COUNT).orElse(0))
        .build();
  }
}
