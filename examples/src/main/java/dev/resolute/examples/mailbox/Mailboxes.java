package dev.resolute.examples.mailbox;

import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.sdk.Context;
import dev.resolute.serde.TypeTag;

/** Sends to a {@link Mailbox} from a handler (a one-way, journaled message). */
public final class Mailboxes {
  private Mailboxes() {}

  public static void deliver(Context ctx, String owner, String message) {
    ctx.send(
        Request.of(
            Target.virtualObject("Mailbox", owner, "deliver"),
            TypeTag.of(String.class),
            TypeTag.of(Void.class),
            message));
  }
}
