package dev.resolute.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.protocol.pb.AttachInvocationCommandMessage;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.Failure;
import dev.resolute.protocol.pb.FailureMetadata;
import dev.resolute.protocol.pb.GetEagerStateCommandMessage;
import dev.resolute.protocol.pb.GetInvocationOutputCommandMessage;
import dev.resolute.protocol.pb.Header;
import dev.resolute.protocol.pb.IdempotentRequestTarget;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.protocol.pb.SendSignalCommandMessage;
import dev.resolute.protocol.pb.SleepCommandMessage;
import dev.resolute.protocol.pb.StateKeys;
import dev.resolute.protocol.pb.Value;
import dev.resolute.protocol.pb.Void;
import dev.resolute.protocol.pb.WorkflowTarget;
import dev.resolute.server.pb.AttemptFailed;
import dev.resolute.server.pb.JournalEvent;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The entry shapes {@code SqlComparisonIT} cannot produce with the Java SDK's workload (attach by
 * idempotent request or workflow, named signals, failure metadata, a call with its lite name), in
 * restate-server 1.7.12's serde rendering; the others are compared with the real server there.
 */
class EntryJsonTest {
  private final SqlFixture f = new SqlFixture();
  private static final String CALLEE = "inv_1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

  private EntryJson.Rendered render(
      MessageType type, MessageLite.Builder m, Map<Integer, String> callees) {
    return EntryJson.render(type, m.build().toByteArray(), callees, f.registry);
  }

  private EntryJson.Rendered render(MessageType type, MessageLite.Builder m) {
    return render(type, m, Map.of());
  }

  @Test
  void eagerStateWithAValue() {
    EntryJson.Rendered r =
        render(
            MessageType.GET_EAGER_STATE_COMMAND,
            GetEagerStateCommandMessage.newBuilder()
                .setKey(ByteString.copyFromUtf8("k"))
                .setValue(Value.newBuilder().setContent(ByteString.copyFromUtf8("1"))));
    assertThat(r.full())
        .isEqualTo(
            "{\"Command\":{\"GetEagerState\":{\"key\":\"k\",\"result\":{\"Success\":[49]},\"name\":\"\"}}}");
    assertThat(r.lite())
        .isEqualTo("{\"Command\":{\"GetEagerState\":{\"key\":\"k\",\"result\":\"Success\"}}}");
  }

  @Test
  void theLiteFormNamesASleepOrRunOnlyWhenNamed() {
    EntryJson.Rendered named =
        render(
            MessageType.SLEEP_COMMAND,
            SleepCommandMessage.newBuilder()
                .setWakeUpTime(5)
                .setResultCompletionId(1)
                .setName("nap"));
    assertThat(named.full())
        .isEqualTo(
            "{\"Command\":{\"Sleep\":{\"wake_up_time\":5,\"completion_id\":1,\"name\":\"nap\"}}}");
    assertThat(named.lite()).isEqualTo(named.full());
    EntryJson.Rendered run =
        render(MessageType.RUN_COMMAND, RunCommandMessage.newBuilder().setResultCompletionId(2));
    assertThat(run.full()).isEqualTo("{\"Command\":{\"Run\":{\"completion_id\":2,\"name\":\"\"}}}");
    assertThat(run.lite()).isEqualTo("{\"Command\":{\"Run\":{\"completion_id\":2}}}");
  }

  @Test
  void aCallToAnObjectHandler() {
    Map<Integer, String> callees = new HashMap<>();
    callees.put(1, CALLEE);
    EntryJson.Rendered r =
        render(
            MessageType.CALL_COMMAND,
            CallCommandMessage.newBuilder()
                .setServiceName("Counter")
                .setHandlerName("add")
                .setKey("k1")
                .setParameter(ByteString.copyFromUtf8("1"))
                .setInvocationIdNotificationIdx(1)
                .setResultCompletionId(2)
                .setName("adding"),
            callees);
    assertThat(r.full())
        .startsWith(
            "{\"Command\":{\"Call\":{\"request\":{\"invocation_id\":\""
                + CALLEE
                + "\",\"invocation_target\":{\"VirtualObject\":{\"name\":\"Counter\",\"key\":\"k1\","
                + "\"handler\":\"add\",\"handler_ty\":\"Exclusive\",\"scope\":null}},")
        .contains("\"parameter\":[49],\"headers\":[],\"idempotency_key\":null,")
        .endsWith(
            "},\"invocation_id_completion_id\":1,\"result_completion_id\":2,\"name\":\"adding\"}}}");
    assertThat(r.lite())
        .isEqualTo(
            "{\"Command\":{\"Call\":{\"invocation_id\":\""
                + CALLEE
                + "\",\"invocation_target\":{\"VirtualObject\":{\"name\":\"Counter\",\"key\":\"k1\","
                + "\"handler\":\"add\",\"handler_ty\":\"Exclusive\",\"scope\":null}},"
                + "\"invocation_id_completion_id\":1,\"result_completion_id\":2,\"name\":\"adding\"}}}");
    // without the callee's id in the journal there is nothing to show
    assertThat(
            render(
                MessageType.CALL_COMMAND,
                CallCommandMessage.newBuilder().setServiceName("Greeter").setHandlerName("greet")))
        .isNull();
  }

  @Test
  void aOneWayCallWithEveryOptionalField() {
    Map<Integer, String> callees = new HashMap<>();
    callees.put(3, CALLEE);
    EntryJson.Rendered r =
        render(
            MessageType.ONE_WAY_CALL_COMMAND,
            OneWayCallCommandMessage.newBuilder()
                .setServiceName("Counter")
                .setHandlerName("add")
                .setKey("k1")
                .setParameter(ByteString.copyFromUtf8("1"))
                .addHeaders(Header.newBuilder().setKey("h").setValue("v"))
                .setIdempotencyKey("ik")
                .setScope("s")
                .setLimitKey("lk")
                .setInvokeTime(7)
                .setInvocationIdNotificationIdx(3)
                .setName("later"),
            callees);
    assertThat(r.full())
        .isEqualTo(
            "{\"Command\":{\"OneWayCall\":{\"request\":{\"invocation_id\":\""
                + CALLEE
                + "\",\"invocation_target\":{\"VirtualObject\":{\"name\":\"Counter\",\"key\":\"k1\",\"handler\":\"add\",\"handler_ty\":\"Exclusive\",\"scope\":\"s\"}},\"span_context\":{\"span_context\":{\"trace_id\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],\"span_id\":[0,0,0,0,0,0,0,0],\"trace_flags\":0,\"is_remote\":false,\"trace_state\":\"\"},\"cause\":null},\"parameter\":[49],\"headers\":[{\"name\":\"h\",\"value\":\"v\"}],\"idempotency_key\":\"ik\",\"completion_retention_duration\":{\"secs\":86400,\"nanos\":0},\"journal_retention_duration\":{\"secs\":86400,\"nanos\":0},\"limit_key\":\"lk\"},\"invoke_time\":7,\"invocation_id_completion_id\":3,\"name\":\"later\"}}}");
    assertThat(r.lite())
        .isEqualTo(
            "{\"Command\":{\"OneWayCall\":{\"invocation_id\":\""
                + CALLEE
                + "\",\"invocation_target\":{\"VirtualObject\":{\"name\":\"Counter\",\"key\":\"k1\",\"handler\":\"add\",\"handler_ty\":\"Exclusive\",\"scope\":\"s\"}},\"invoke_time\":7,\"invocation_id_completion_id\":3,\"name\":\"later\"}}}");
  }

  @Test
  void attachTargets() {
    EntryJson.Rendered idem =
        render(
            MessageType.ATTACH_INVOCATION_COMMAND,
            AttachInvocationCommandMessage.newBuilder()
                .setIdempotentRequestTarget(
                    IdempotentRequestTarget.newBuilder()
                        .setServiceName("Greeter")
                        .setHandlerName("greet")
                        .setIdempotencyKey("ik"))
                .setResultCompletionId(3));
    assertThat(idem.full())
        .isEqualTo(
            "{\"Command\":{\"AttachInvocation\":{\"target\":{\"IdempotentRequest\":{"
                + "\"service_name\":\"Greeter\",\"service_key\":null,\"service_handler\":\"greet\","
                + "\"idempotency_key\":\"ik\",\"scope\":null,\"partition_key\":"
                + Long.toUnsignedString(PartitionKeys.idempotent("Greeter", "ik"))
                + "}},\"completion_id\":3,\"name\":\"\"}}}");
    EntryJson.Rendered wf =
        render(
            MessageType.GET_INVOCATION_OUTPUT_COMMAND,
            GetInvocationOutputCommandMessage.newBuilder()
                .setWorkflowTarget(
                    WorkflowTarget.newBuilder().setWorkflowName("Signup").setWorkflowKey("w1"))
                .setResultCompletionId(4));
    assertThat(wf.lite())
        .isEqualTo(
            "{\"Command\":{\"GetInvocationOutput\":{\"target\":{\"Workflow\":{"
                + "\"service_name\":\"Signup\",\"key\":\"w1\",\"partition_key\":"
                + Long.toUnsignedString(PartitionKeys.keyed("w1"))
                + ",\"scope\":null}},\"completion_id\":4}}}");
  }

  @Test
  void failuresAndSignals() {
    EntryJson.Rendered out =
        render(
            MessageType.OUTPUT_COMMAND,
            OutputCommandMessage.newBuilder()
                .setFailure(
                    Failure.newBuilder()
                        .setCode(418)
                        .setMessage("teapot")
                        .addMetadata(FailureMetadata.newBuilder().setKey("a").setValue("b"))));
    assertThat(out.full())
        .isEqualTo(
            "{\"Command\":{\"Output\":{\"result\":{\"Failure\":{\"code\":418,\"message\":\"teapot\","
                + "\"metadata\":[{\"key\":\"a\",\"value\":\"b\"}]}},\"name\":\"\"}}}");
    assertThat(out.lite()).isEqualTo("{\"Command\":{\"Output\":{\"result\":\"Failure\"}}}");

    EntryJson.Rendered send =
        render(
            MessageType.SEND_SIGNAL_COMMAND,
            SendSignalCommandMessage.newBuilder()
                .setTargetInvocationId(CALLEE)
                .setIdx(1)
                .setVoid(Void.getDefaultInstance()));
    assertThat(send.full())
        .isEqualTo(
            "{\"Command\":{\"SendSignal\":{\"target_invocation_id\":\""
                + CALLEE
                + "\",\"signal_id\":{\"Index\":1},\"result\":\"Void\",\"name\":\"\"}}}");

    EntryJson.Rendered signal =
        render(
            MessageType.SIGNAL_NOTIFICATION,
            NotificationTemplate.newBuilder()
                .setSignalName("go")
                .setFailure(Failure.newBuilder().setCode(500).setMessage("no")));
    assertThat(signal.full())
        .isEqualTo(
            "{\"Notification\":{\"Signal\":{\"id\":{\"Name\":\"go\"},"
                + "\"result\":{\"Failure\":{\"code\":500,\"message\":\"no\"}}}}}");
    assertThat(signal.lite())
        .isEqualTo(
            "{\"Notification\":{\"ty\":\"Signal\",\"id\":{\"SignalName\":\"go\"},\"result\":\"Failure\"}}");

    EntryJson.Rendered keys =
        render(
            MessageType.GET_LAZY_STATE_KEYS_COMPLETION,
            NotificationTemplate.newBuilder()
                .setCompletionId(2)
                .setStateKeys(StateKeys.newBuilder().addKeys(ByteString.copyFromUtf8("a"))));
    assertThat(keys.full())
        .isEqualTo(
            "{\"Notification\":{\"Completion\":{\"GetLazyStateKeys\":{\"completion_id\":2,"
                + "\"state_keys\":[\"a\"]}}}}");
    assertThat(keys.lite())
        .isEqualTo(
            "{\"Notification\":{\"ty\":{\"Completion\":\"GetLazyStateKeys\"},"
                + "\"id\":{\"CompletionId\":2},\"result\":\"StateKeys\"}}");
  }

  @Test
  void transientErrorWithItsRelatedCommand() {
    JournalEvent e =
        JournalEvent.newBuilder()
            .setErrorCode(500)
            .setErrorMessage("the step failed")
            .setRestateDocErrorCode("RT0007")
            .build();
    AttemptFailed related =
        AttemptFailed.newBuilder()
            .setRelatedCommandIndex(1)
            .setRelatedCommandName("step")
            .setRelatedCommandType(MessageType.RUN_COMMAND.code())
            .build();
    assertThat(EntryJson.transientError(e, related))
        .isEqualTo(
            "{\"ty\":\"TransientError\",\"error_code\":500,\"error_message\":\"the step failed\","
                + "\"restate_doc_error_code\":\"RT0007\",\"related_command_index\":1,"
                + "\"related_command_name\":\"step\",\"related_command_type\":\"Run\"}");
    assertThat(EntryJson.transientError(e, null))
        .isEqualTo(
            "{\"ty\":\"TransientError\",\"error_code\":500,\"error_message\":\"the step failed\","
                + "\"restate_doc_error_code\":\"RT0007\"}");
    assertThat(EntryJson.paused(JournalEvent.getDefaultInstance(), null))
        .isEqualTo("{\"ty\":\"Paused\"}");
    assertThat(EntryJson.paused(e, related))
        .isEqualTo(
            "{\"ty\":\"Paused\",\"last_failure\":{\"error_code\":500,"
                + "\"error_message\":\"the step failed\",\"restate_doc_error_code\":\"RT0007\","
                + "\"related_command_index\":1,\"related_command_name\":\"step\","
                + "\"related_command_type\":\"Run\"}}");
    assertThat(EntryJson.legacyEntryType(MessageType.GET_EAGER_STATE_COMMAND.code()))
        .isEqualTo("GetState");
    assertThat(EntryJson.legacyEntryType(MessageType.SLEEP_COMMAND.code())).isNull();
    assertThat(EntryJson.commandType(MessageType.GET_LAZY_STATE_KEYS_COMMAND.code()))
        .isEqualTo("GetLazyStateKeys");
  }
}
