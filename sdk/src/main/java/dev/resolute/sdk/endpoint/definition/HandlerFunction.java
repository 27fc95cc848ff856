package dev.resolute.sdk.endpoint.definition;

/**
 * The code of a handler: takes the context (of type {@code C}) and the input, returns the output.
 */
@FunctionalInterface
public interface HandlerFunction<C, I, O> {
  O apply(C ctx, I input) throws Throwable;
}
