package dev.resolute.server.invoker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.AttachInvocationCommandMessage;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.CompleteAwakeableCommandMessage;
import dev.resolute.protocol.pb.GetInvocationOutputCommandMessage;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.SendSignalCommandMessage;
import dev.resolute.protocol.pb.SetStateCommandMessage;
import dev.resolute.server.discovery.DiscoveredEndpoint;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.Target;
import dev.resolute.server.schema.SchemaRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CommandValidatorTest {
  static SchemaRegistry schemas;
  static CommandValidator validator;
  static final InvocationId ID = new InvocationId(7, new byte[16]);

  @BeforeAll
  static void register() throws Exception {
    schemas = SchemaRegistry.inMemory();
    schemas.register(
        new DiscoveredEndpoint(
            "http://a/",
            false,
            DiscoveryClient.parse(
                "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,\"services\":["
                    + "{\"name\":\"Obj\",\"ty\":\"VIRTUAL_OBJECT\",\"handlers\":[{\"name\":\"add\"},"
                    + "{\"name\":\"get\",\"ty\":\"SHARED\",\"idempotencyRetention\":60000}]},"
                    + "{\"name\":\"Svc\",\"ty\":\"SERVICE\",\"handlers\":[{\"name\":\"greet\"}]}]}"),
            "test/1",
            6),
        Map.of(),
        Map.of(),
        false,
        false,
        false);
    validator = new CommandValidator(schemas);
  }

  static String check(MessageType type, com.google.protobuf.MessageLite m) {
    return validator.validate(type, m, InvokerEvent.newBuilder());
  }

  @Test
  void aCallIsResolvedToItsTargetKindAndRetention() {
    InvokerEvent.Builder ev = InvokerEvent.newBuilder();
    assertThat(
            validator.validate(
                MessageType.CALL_COMMAND,
                CallCommandMessage.newBuilder()
                    .setServiceName("Obj")
                    .setHandlerName("add")
                    .setKey("k")
                    .build(),
                ev))
        .isNull();
    assertThat(ev.getCallTarget())
        .isEqualTo(
            Target.newBuilder()
                .setService("Obj")
                .setHandler("add")
                .setKey("k")
                .setKeyed(true)
                .setKind(Target.Kind.EXCLUSIVE)
                .build());
    InvokerEvent.Builder idem = InvokerEvent.newBuilder();
    assertThat(
            validator.validate(
                MessageType.ONE_WAY_CALL_COMMAND,
                OneWayCallCommandMessage.newBuilder()
                    .setServiceName("Obj")
                    .setHandlerName("get")
                    .setKey("k")
                    .setIdempotencyKey("i")
                    .build(),
                idem))
        .isNull();
    assertThat(idem.getCallTarget().getKind()).isEqualTo(Target.Kind.SHARED);
    assertThat(idem.getCompletionRetentionMillis()).isEqualTo(Duration.ofMinutes(1).toMillis());
    InvokerEvent.Builder plain = InvokerEvent.newBuilder();
    assertThat(
            validator.validate(
                MessageType.CALL_COMMAND,
                CallCommandMessage.newBuilder()
                    .setServiceName("Svc")
                    .setHandlerName("greet")
                    .build(),
                plain))
        .isNull();
    assertThat(plain.getCallTarget().getKeyed()).isFalse();
  }

  @Test
  void callTargetsMustExistKeyedOnesNeedAKeyAndIdempotencyKeysMustNotBeEmpty() {
    assertThat(
            check(
                MessageType.CALL_COMMAND,
                CallCommandMessage.newBuilder().setServiceName("Nope").setHandlerName("x").build()))
        .startsWith("RT0018: target Nope/x does not exist");
    assertThat(
            check(
                MessageType.CALL_COMMAND,
                CallCommandMessage.newBuilder()
                    .setServiceName("Svc")
                    .setHandlerName("missing")
                    .build()))
        .startsWith("RT0018");
    assertThat(
            check(
                MessageType.ONE_WAY_CALL_COMMAND,
                OneWayCallCommandMessage.newBuilder()
                    .setServiceName("Obj")
                    .setHandlerName("add")
                    .build()))
        .isEqualTo("target Obj needs a key");
    assertThat(
            check(
                MessageType.CALL_COMMAND,
                CallCommandMessage.newBuilder()
                    .setServiceName("Svc")
                    .setHandlerName("greet")
                    .setIdempotencyKey("")
                    .build()))
        .isEqualTo("the idempotency key must not be empty");
  }

  @Test
  void idsMustParseAndLegacyAwakeablesAreRefused() {
    assertThat(
            check(
                MessageType.SEND_SIGNAL_COMMAND,
                SendSignalCommandMessage.newBuilder().setTargetInvocationId(ID.toString()).build()))
        .isNull();
    assertThat(
            check(
                MessageType.SEND_SIGNAL_COMMAND,
                SendSignalCommandMessage.newBuilder().setTargetInvocationId("inv_nope").build()))
        .startsWith("invalid SEND_SIGNAL_COMMAND: ");
    assertThat(
            check(
                MessageType.COMPLETE_AWAKEABLE_COMMAND,
                CompleteAwakeableCommandMessage.newBuilder()
                    .setAwakeableId(AwakeableId.signal(ID, 17).toString())
                    .build()))
        .isNull();
    assertThat(
            check(
                MessageType.COMPLETE_AWAKEABLE_COMMAND,
                CompleteAwakeableCommandMessage.newBuilder().setAwakeableId("garbage").build()))
        .startsWith("invalid COMPLETE_AWAKEABLE_COMMAND");
  }

  @Test
  void attachAndGetOutputNeedATarget() {
    assertThat(
            check(
                MessageType.ATTACH_INVOCATION_COMMAND,
                AttachInvocationCommandMessage.newBuilder().build()))
        .isEqualTo("the target of the attach/get-output command is missing");
    assertThat(
            check(
                MessageType.ATTACH_INVOCATION_COMMAND,
                AttachInvocationCommandMessage.newBuilder().setInvocationId(ID.toString()).build()))
        .isNull();
    assertThat(
            check(
                MessageType.GET_INVOCATION_OUTPUT_COMMAND,
                GetInvocationOutputCommandMessage.newBuilder().setInvocationId("inv_1bad").build()))
        .startsWith("invalid GET_INVOCATION_OUTPUT_COMMAND");
  }

  @Test
  void otherCommandsPass() {
    assertThat(check(MessageType.SET_STATE_COMMAND, SetStateCommandMessage.getDefaultInstance()))
        .isNull();
  }
}
