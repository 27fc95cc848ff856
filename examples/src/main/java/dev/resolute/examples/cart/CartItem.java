package dev.resolute.examples.cart;

/** A product and how many of it to add. */
public record CartItem(String product, int quantity) {}
