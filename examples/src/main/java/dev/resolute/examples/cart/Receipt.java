package dev.resolute.examples.cart;

import java.util.Map;

/** What a checkout bought: product → quantity, and the total number of pieces. */
public record Receipt(String cartId, Map<String, Integer> items, int totalQuantity) {}
