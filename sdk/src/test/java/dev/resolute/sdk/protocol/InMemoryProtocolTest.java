package dev.resolute.sdk.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.internal.endpoint.EndpointHandler;
import dev.resolute.sdk.internal.endpoint.InvocationSession;
import dev.resolute.sdk.internal.endpoint.ResponseSink;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every protocol case against the state machine, in memory (no sockets). */
@Timeout(30)
class InMemoryProtocolTest {
  static Endpoint endpoint() {
    return Endpoint.bind(ProtocolCases.SVC)
        .bind(ProtocolCases.OBJ)
        .bind(ProtocolCases.WF)
        .clock(Clock.fixed(Instant.ofEpochMilli(ProtocolCases.NOW), ZoneOffset.UTC))
        .build();
  }

  static final EndpointHandler HANDLER = new EndpointHandler(endpoint());

  static List<ProtocolCase> cases() {
    return ProtocolCases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void inMemory(ProtocolCase c) throws Exception {
    play(HANDLER, c);
  }

  /** Plays a case against an endpoint handler in memory (no sockets). */
  static void play(EndpointHandler handler, ProtocolCase c) throws Exception {
    Conversation conv =
        new Conversation() {
          InvocationSession session;

          {
            Map<String, String> headers =
                Map.of("content-type", "application/vnd.restate.invocation.v6");
            EndpointHandler.Routed r =
                handler.handle(
                    "POST",
                    "/invoke/" + c.service().getServiceName() + "/" + c.handler(),
                    headers::get,
                    true,
                    new ResponseSink() {
                      @Override
                      public void write(byte[] bytes) {
                        onResponseBytes(bytes);
                      }

                      @Override
                      public void end() {
                        onResponseEnd();
                      }
                    });
            assertThat(r).isInstanceOf(EndpointHandler.Invocation.class);
            session = ((EndpointHandler.Invocation) r).session();
          }

          @Override
          void send(byte[] bytes) {
            session.onData(bytes, 0, bytes.length);
          }

          @Override
          void closeInput() {
            session.onEndOfInput();
          }
        };
    conv.play(c);
  }
}
