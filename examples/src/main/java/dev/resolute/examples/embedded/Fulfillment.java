package dev.resolute.examples.embedded;

import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Service;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An order's fulfilment in durable steps: charge the card, confirm by e-mail, wait for the
 * warehouse, ship. Each step's side effect runs inside {@code ctx.run}, so once its result is in
 * the journal it is never repeated, whatever crashes in between; the wait is a durable timer that
 * survives a restart of the whole process. The side effects here only report themselves ({@code
 * EFFECT <step> <order> <value>}) so that a test can count them.
 */
@Service
public class Fulfillment {
  private final Duration warehouseDelay;
  private final Consumer<String> effects;

  /**
   * @param warehouseDelay how long the durable wait between confirmation and shipping lasts
   * @param effects where each side effect is reported (a line per execution)
   */
  public Fulfillment(Duration warehouseDelay, Consumer<String> effects) {
    this.warehouseDelay = warehouseDelay;
    this.effects = effects;
  }

  @Handler
  public String process(Context ctx, String orderId) {
    String charge =
        ctx.run("charge", String.class, () -> effect("charge", orderId, "ch_" + UUID.randomUUID()));
    ctx.run("confirm", String.class, () -> effect("confirm", orderId, "mail to " + orderId));
    ctx.sleep(warehouseDelay);
    String parcel =
        ctx.run("ship", String.class, () -> effect("ship", orderId, "parcel_" + UUID.randomUUID()));
    return orderId + ": charged " + charge + ", shipped " + parcel;
  }

  private String effect(String step, String orderId, String value) {
    effects.accept("EFFECT " + step + " " + orderId + " " + value);
    return value;
  }
}
