package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.api.SubmitResult;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Answers reach their waiters typed: each through its own accessor, a refusal as an exception. */
class AnswerTest {
  static final InvocationId ID = new InvocationId(PartitionKeys.keyed("k"), new byte[16]);

  @Test
  void eachCaseAnswersThroughItsOwnAccessorOnly() {
    InvocationResult r = new InvocationResult(ID, Outcome.success(new byte[0]));
    assertThat(new Answer.Invoked(r).invoked()).isSameAs(r);
    SubmitResult s = new SubmitResult(ID, true, 0);
    assertThat(new Answer.Submitted(s).submitted()).isSameAs(s);
    assertThat(new Answer.Output(Optional.empty()).output()).isEmpty();
    assertThat(new Answer.Cancelled(true).cancelled()).isTrue();
    assertThat(new Answer.Managed(202).managed()).isEqualTo(202);
    Answer.Done.INSTANCE.done();

    assertThatThrownBy(() -> new Answer.Managed(200).invoked())
        .isInstanceOf(Answer.UnexpectedAnswer.class)
        .hasMessageContaining("Invoked")
        .hasMessageContaining("Managed");
    assertThatThrownBy(() -> new Answer.Invoked(r).submitted())
        .isInstanceOf(Answer.UnexpectedAnswer.class);
    assertThatThrownBy(() -> Answer.Done.INSTANCE.cancelled())
        .isInstanceOf(Answer.UnexpectedAnswer.class);
  }

  @Test
  void aRefusalCompletesTheWaiterExceptionallyAndOthersWithTheAnswer() {
    Replies replies = new Replies();
    CompletableFuture<Answer> refused = new CompletableFuture<>();
    CompletableFuture<Answer> managed = new CompletableFuture<>();
    long a = replies.register(refused);
    long b = replies.register(managed);
    DispatchException error = new DispatchException(404, "invocation not found");
    replies.complete(a, new Answer.Refused(error));
    replies.complete(b, new Answer.Managed(200));
    assertThatThrownBy(refused::join).isInstanceOf(CompletionException.class).hasCause(error);
    assertThat(managed.join().managed()).isEqualTo(200);
    assertThat(replies.size()).isZero();
  }

  @Test
  void theReplyEffectKeepsThePlainValueOfItsAnswer() {
    assertThat(new Effect.Reply(1, new Answer.Cancelled(false)).result()).isEqualTo(Boolean.FALSE);
    assertThat(new Effect.Reply(1, Answer.Done.INSTANCE).result()).isNull();
    assertThat(new Effect.Reply(1, new Answer.Managed(200)).result()).isEqualTo(200);
  }
}
