package dev.resolute.examples.mailbox;

import dev.resolute.sdk.ObjectContext;
import dev.resolute.sdk.SharedObjectContext;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Shared;
import dev.resolute.sdk.annotation.VirtualObject;
import dev.resolute.sdk.common.StateKey;
import dev.resolute.serde.TypeRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for e-mail and chat: other examples deliver messages (verification links, review
 * requests with awakeable ids) to a mailbox keyed by its owner, where a person — or a test — reads
 * them.
 */
@VirtualObject
public class Mailbox {
  static final StateKey<List<String>> MESSAGES =
      StateKey.of("messages", new TypeRef<List<String>>() {});

  @Handler
  public void deliver(ObjectContext ctx, String message) {
    List<String> messages = ctx.get(MESSAGES).orElseGet(ArrayList::new);
    messages.add(message);
    ctx.set(MESSAGES, messages);
  }

  @Shared
  public List<String> messages(SharedObjectContext ctx) {
    return ctx.get(MESSAGES).orElse(List.of());
  }
}
