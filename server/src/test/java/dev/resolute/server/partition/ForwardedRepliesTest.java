package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.api.SubmitResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every kind of answer survives the trip to another node's waiter as a ForwardedReply. */
class ForwardedRepliesTest {
  static final InvocationId ID =
      InvocationId.fromBytes(
          new byte[] {
            0, 0, 0, 0, 0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
          });

  static Answer roundTrip(Answer a) {
    long request =
        Replies.forNode(9, 1234).register(new java.util.concurrent.CompletableFuture<>());
    var r = ForwardedReplies.encode(request, a);
    assertThat(r.getRequestId()).isEqualTo(request);
    assertThat(ForwardedReplies.nodeOf(request)).isEqualTo(9);
    return ForwardedReplies.decode(r);
  }

  @Test
  void everyAnswerRoundTrips() {
    TreeMap<String, String> meta = new TreeMap<>();
    meta.put("k", "v");
    InvocationResult ok =
        new InvocationResult(ID, new Outcome.Success("out".getBytes(StandardCharsets.UTF_8)), 99);
    InvocationResult failed =
        new InvocationResult(ID, new Outcome.Failure(500, "boom", "trace", meta), 0);
    InvocationResult plainFailure = new InvocationResult(ID, new Outcome.Failure(409, "x"), 5);
    for (Answer a :
        List.<Answer>of(
            new Answer.Invoked(plainFailure),
            new Answer.Submitted(new SubmitResult(ID, true, 42)),
            new Answer.Output(Optional.empty()),
            new Answer.Cancelled(true),
            new Answer.Cancelled(false),
            Answer.Done.INSTANCE,
            new Answer.Managed(202))) {
      assertThat(roundTrip(a)).isEqualTo(a);
    }
    for (InvocationResult r : List.of(ok, failed)) {
      Answer.Invoked back = (Answer.Invoked) roundTrip(new Answer.Invoked(r));
      assertThat(back.result().id()).isEqualTo(ID);
      assertThat(back.result().expiresAtMillis()).isEqualTo(r.expiresAtMillis());
      assertOutcome(back.result().outcome(), r.outcome());
      Answer.Output out = (Answer.Output) roundTrip(new Answer.Output(Optional.of(r)));
      assertOutcome(out.result().orElseThrow().outcome(), r.outcome());
    }
    Answer.Refused refused =
        (Answer.Refused) roundTrip(new Answer.Refused(new DispatchException(404, "not found")));
    assertThat(refused.error().status()).isEqualTo(404);
    assertThat(refused.error().getMessage()).isEqualTo("not found");
  }

  static void assertOutcome(Outcome got, Outcome want) {
    if (want instanceof Outcome.Success s) {
      assertThat(((Outcome.Success) got).value()).isEqualTo(s.value());
    } else {
      assertThat(got).isEqualTo(want);
    }
  }
}
