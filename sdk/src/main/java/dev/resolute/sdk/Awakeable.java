package dev.resolute.sdk;

/** A future completed from outside through its {@link #id()}. */
public interface Awakeable<T> extends DurableFuture<T> {

  /** The id to give to whoever completes it ({@code sign_1…}). */
  String id();
}
