package dev.resolute.examples.greeter;

import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Service;
import dev.resolute.sdk.common.TerminalException;

/** The smallest service: a greeting, and one with a ticket number that is stable across retries. */
@Service
public class Greeter {

  @Handler
  public String greet(Context ctx, String name) {
    if (name == null || name.isBlank()) {
      throw new TerminalException(400, "name must not be empty");
    }
    return "Hello, " + name + "!";
  }

  /**
   * The ticket comes from the invocation's deterministic random source: a retry of this invocation
   * produces the same ticket, a new invocation a different one (unless deduplicated by an
   * idempotency key, then the server answers with the first result).
   */
  @Handler
  public String greetWithTicket(Context ctx, String name) {
    String ticket = ctx.random().nextUUID().toString();
    return "Hello, " + name + "! Your ticket: " + ticket;
  }
}
