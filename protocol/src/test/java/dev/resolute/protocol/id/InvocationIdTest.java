package dev.resolute.protocol.id;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvocationIdTest {
  static final String VALID = "inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE";

  @Test
  void aValidIdHasNoReason() {
    assertThat(InvocationId.invalidReason(VALID)).isEmpty();
    assertThat(InvocationId.parse(VALID).toString()).isEqualTo(VALID);
  }

  /** Reasons as restate-server 1.7.12 words them for the same strings (recorded against it). */
  @Test
  void reasonsFollowRestatesDecoderOrder() {
    assertThat(InvocationId.invalidReason("")).hasValue("bad length");
    assertThat(InvocationId.invalidReason("garbage")).hasValue("bad format");
    assertThat(InvocationId.invalidReason("_1abc")).hasValue("unrecognized resource type: ");
    assertThat(InvocationId.invalidReason("foo_2x")).hasValue("unrecognized resource type: foo");
    assertThat(InvocationId.invalidReason("inv_")).hasValue("bad length");
    assertThat(InvocationId.invalidReason("inv_2grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE"))
        .hasValue("unrecognized codec version");
    assertThat(InvocationId.invalidReason("sign_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE"))
        .hasValue("id doesn't match the expected type");
    assertThat(InvocationId.invalidReason("vq_1abc"))
        .hasValue("id doesn't match the expected type");
    assertThat(InvocationId.invalidReason("inv_1garbage")).hasValue("bad length");
    assertThat(InvocationId.invalidReason("inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHP"))
        .hasValue("bad length");
    assertThat(InvocationId.invalidReason(VALID + "E")).hasValue("bad length");
    assertThat(InvocationId.invalidReason("inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHP!"))
        .hasValue("base62 decode error");
    assertThat(InvocationId.invalidReason("inv_1zzzzzzzzzzzgrmnjtavDmM4hY93tcK6eX"))
        .hasValue("base62 decode error");
  }
}
