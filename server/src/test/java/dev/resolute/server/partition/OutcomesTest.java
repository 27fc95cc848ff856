package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.protocol.pb.Failure;
import dev.resolute.protocol.pb.FailureMetadata;
import dev.resolute.server.pb.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A terminal error's metadata survives storage, the notification to a caller and the API form. */
class OutcomesTest {
  static Failure failure(String... keyValues) {
    Failure.Builder b = Failure.newBuilder().setCode(418).setMessage("teapot");
    for (int i = 0; i < keyValues.length; i += 2) {
      b.addMetadata(FailureMetadata.newBuilder().setKey(keyValues[i]).setValue(keyValues[i + 1]));
    }
    return b.build();
  }

  @Test
  void storedSortedByKeyLastDuplicateWins() {
    Outcome o = Outcomes.failure(failure("z", "1", "a", "2", "z", "3"));
    assertThat(o.getFailure().getMetadataList())
        .extracting(m -> m.getKey() + "=" + m.getValue())
        .containsExactly("a=2", "z=3");
  }

  @Test
  void theCallersNotificationCarriesIt() {
    Outcome o = Outcomes.failure(failure("b", "1", "a", "2"));
    Failure wire = Outcomes.completion(7, o).getFailure();
    assertThat(wire.getCode()).isEqualTo(418);
    assertThat(wire.getMetadataList())
        .extracting(m -> m.getKey() + "=" + m.getValue())
        .containsExactly("a=2", "b=1");
  }

  @Test
  void theApiFormCarriesIt() {
    var api =
        (dev.resolute.server.api.Outcome.Failure)
            Outcomes.toApi(Outcomes.failure(failure("b", "1", "a", "2")));
    assertThat(api.metadata()).containsExactly(Map.entry("a", "2"), Map.entry("b", "1"));
    var none =
        (dev.resolute.server.api.Outcome.Failure) Outcomes.toApi(Outcomes.failure(failure()));
    assertThat(none.metadata()).isEmpty();
  }

  @Test
  void aStoredFailureWithoutMetadataReadsAsBefore() throws Exception {
    // a Failure written before the metadata field existed: fields 1..3 only
    dev.resolute.server.pb.Failure old =
        dev.resolute.server.pb.Failure.newBuilder().setCode(500).setMessage("m").build();
    var read = dev.resolute.server.pb.Failure.parseFrom(old.toByteArray());
    assertThat(read.getMetadataCount()).isZero();
    assertThat(Outcomes.wire(read).getMetadataCount()).isZero();
  }
}
