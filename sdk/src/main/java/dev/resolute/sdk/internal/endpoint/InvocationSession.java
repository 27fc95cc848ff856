package dev.resolute.sdk.internal.endpoint;

import dev.resolute.protocol.Frame;
import dev.resolute.protocol.FrameCodec;
import dev.resolute.protocol.FrameDecoder;
import dev.resolute.protocol.ProtocolException;
import dev.resolute.sdk.internal.statemachine.InvocationStateMachine;

/**
 * One invocation attempt bound to a transport: bytes in → frames → state machine; frames out →
 * bytes. Created by {@link EndpointHandler}; the transport calls {@link #onData}, {@link
 * #onEndOfInput} and {@link #onAbort} from its I/O thread.
 */
public final class InvocationSession {
  private static final int MAX_MESSAGE_SIZE = 32 * 1024 * 1024;

  private final InvocationStateMachine sm;
  private final FrameDecoder decoder = new FrameDecoder(MAX_MESSAGE_SIZE);

  InvocationSession(int protocolVersion, ResponseSink sink) {
    this.sm =
        new InvocationStateMachine(
            protocolVersion,
            new InvocationStateMachine.Sink() {
              private boolean closed;

              @Override
              public void write(Frame frame) {
                if (!closed) {
                  sink.write(FrameCodec.encode(frame));
                }
              }

              @Override
              public void close() {
                if (!closed) {
                  closed = true;
                  sink.end();
                }
              }
            });
  }

  public InvocationStateMachine stateMachine() {
    return sm;
  }

  public void onData(byte[] data, int offset, int length) {
    try {
      decoder.feed(data, offset, length, sm::onFrame);
    } catch (ProtocolException e) {
      sm.writeError(InvocationStateMachine.PROTOCOL_VIOLATION, e.getMessage(), "", null);
    }
  }

  public void onEndOfInput() {
    sm.onInputClosed();
  }

  public void onAbort(String reason) {
    sm.abort(reason);
  }
}
