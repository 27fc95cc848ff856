package dev.resolute.sdk.internal.endpoint;

import com.google.protobuf.ByteString;
import dev.resolute.common.Slice;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.Value;
import dev.resolute.sdk.Context;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.sdk.endpoint.definition.HandlerDefinition;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.internal.statemachine.ControlFlowSignal;
import dev.resolute.sdk.internal.statemachine.HandlerContextImpl;
import dev.resolute.sdk.internal.statemachine.InvocationStateMachine;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Runs a handler's code for one attempt, on an executor thread, and ends the attempt. */
public final class InvocationRunner implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(InvocationRunner.class);
  public static final String MDC_INVOCATION_ID = "restateInvocationId";
  public static final String MDC_TARGET = "restateInvocationTarget";

  private final InvocationStateMachine sm;
  private final ServiceDefinition service;
  private final HandlerDefinition<Object, Object> handler;
  private final Clock clock;
  private final String invocationIdHeader;

  @SuppressWarnings("unchecked")
  public InvocationRunner(
      InvocationStateMachine sm,
      ServiceDefinition service,
      HandlerDefinition<?, ?> handler,
      Clock clock,
      String invocationIdHeader) {
    this.sm = sm;
    this.service = service;
    this.handler = (HandlerDefinition<Object, Object>) handler;
    this.clock = clock;
    this.invocationIdHeader = invocationIdHeader;
  }

  @Override
  public void run() {
    MDC.put(MDC_TARGET, service.getServiceName() + "/" + handler.getName());
    if (invocationIdHeader != null) {
      MDC.put(MDC_INVOCATION_ID, invocationIdHeader);
    }
    try {
      sm.awaitReady();
      HandlerContextImpl ctx = new HandlerContextImpl(sm, service.getSerdeFactory(), clock);
      MDC.put(MDC_INVOCATION_ID, ctx.request().invocationId().toString());
      LOG.debug("Start invocation");
      Object input;
      try {
        input = handler.getInputSerde().deserialize(ctx.request().body());
      } catch (RuntimeException e) {
        throw new TerminalException(
            TerminalException.BAD_REQUEST_CODE,
            "Cannot deserialize the handler input: " + e.getMessage());
      }
      Object output = handler.getFunction().apply((Context) ctx, input);
      if (sm.isClosed()) {
        return;
      }
      Slice out = handler.getOutputSerde().serialize(output);
      sm.end(
          OutputCommandMessage.newBuilder()
              .setValue(Value.newBuilder().setContent(ByteString.copyFrom(out.unsafeArray())))
              .build());
      LOG.debug("End invocation");
    } catch (TerminalException e) {
      if (!sm.isClosed()) {
        try {
          sm.end(
              OutputCommandMessage.newBuilder()
                  .setFailure(
                      HandlerContextImpl.failure(
                          e.getCode(),
                          String.valueOf(e.getMessage()),
                          e.getMetadata(),
                          sm.protocolVersion()))
                  .build());
        } catch (ControlFlowSignal ignored) {
          // closed meanwhile (journal mismatch on Output)
        }
      }
      LOG.debug("Invocation ended with terminal error {} {}", e.getCode(), e.getMessage());
    } catch (ControlFlowSignal s) {
      LOG.debug("Invocation attempt ended: {}", s.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      if (!sm.isClosed()) {
        LOG.warn("Invocation failed, it will be retried", t);
        sm.writeError(
            TerminalException.INTERNAL_SERVER_ERROR_CODE,
            String.valueOf(t),
            HandlerContextImpl.stackTrace(t),
            null);
      }
    } finally {
      MDC.remove(MDC_TARGET);
      MDC.remove(MDC_INVOCATION_ID);
      MDC.remove(InvocationStateMachine.MDC_STATUS);
    }
  }
}
