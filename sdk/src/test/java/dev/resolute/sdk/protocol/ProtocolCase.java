package dev.resolute.sdk.protocol;

import dev.resolute.protocol.Frame;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * One protocol case as data: a service, the handler to invoke, and a script of steps: frames the
 * server sends, frames the SDK must answer with, and when the server closes its request body. After
 * the last step the SDK must have closed its response with nothing more written.
 */
record ProtocolCase(String name, ServiceDefinition service, String handler, List<Step> steps) {

  sealed interface Step {}

  record Send(List<Frame> frames) implements Step {}

  record Expect(List<Frame> frames) implements Step {}

  record CloseInput() implements Step {}

  @Override
  public String toString() {
    return name;
  }

  static Builder named(String name, ServiceDefinition service, String handler) {
    return new Builder(name, service, handler);
  }

  static final class Builder {
    private final String name;
    private final ServiceDefinition service;
    private final String handler;
    private final List<Step> steps = new ArrayList<>();

    Builder(String name, ServiceDefinition service, String handler) {
      this.name = name;
      this.service = service;
      this.handler = handler;
    }

    Builder send(Frame... frames) {
      steps.add(new Send(List.of(frames)));
      return this;
    }

    Builder closeInput() {
      steps.add(new CloseInput());
      return this;
    }

    Builder expect(Frame... frames) {
      steps.add(new Expect(List.of(frames)));
      return this;
    }

    ProtocolCase build() {
      return new ProtocolCase(name, service, handler, List.copyOf(steps));
    }
  }
}
