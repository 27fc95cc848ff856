package dev.resolute.examples.cart;

import dev.resolute.sdk.ObjectContext;
import dev.resolute.sdk.SharedObjectContext;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Shared;
import dev.resolute.sdk.annotation.VirtualObject;
import dev.resolute.sdk.common.StateKey;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.serde.TypeRef;
import java.util.Map;
import java.util.TreeMap;

/**
 * A shopping cart per key (the cart id). Exclusive handlers of one cart run one at a time, so the
 * read-modify-write of the item map needs no locking; {@code get} is shared and only reads.
 */
@VirtualObject
public class ShoppingCart {
  static final StateKey<Map<String, Integer>> ITEMS =
      StateKey.of("items", new TypeRef<Map<String, Integer>>() {});

  @Handler
  public Map<String, Integer> add(ObjectContext ctx, CartItem item) {
    if (item == null || item.product() == null || item.quantity() <= 0) {
      throw new TerminalException(400, "an item needs a product and a positive quantity");
    }
    Map<String, Integer> items = new TreeMap<>(ctx.get(ITEMS).orElse(Map.of()));
    items.merge(item.product(), item.quantity(), Integer::sum);
    ctx.set(ITEMS, items);
    return items;
  }

  @Handler
  public Map<String, Integer> remove(ObjectContext ctx, String product) {
    Map<String, Integer> items = new TreeMap<>(ctx.get(ITEMS).orElse(Map.of()));
    if (items.remove(product) == null) {
      throw new TerminalException(404, product + " is not in the cart");
    }
    ctx.set(ITEMS, items);
    return items;
  }

  @Shared
  public Map<String, Integer> get(SharedObjectContext ctx) {
    return new TreeMap<>(ctx.get(ITEMS).orElse(Map.of()));
  }

  @Handler
  public Receipt checkout(ObjectContext ctx) {
    Map<String, Integer> items = new TreeMap<>(ctx.get(ITEMS).orElse(Map.of()));
    if (items.isEmpty()) {
      throw new TerminalException(400, "cart is empty");
    }
    ctx.clear(ITEMS);
    int total = items.values().stream().mapToInt(Integer::intValue).sum();
    return new Receipt(ctx.key(), items, total);
  }
}
