package dev.resolute.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** W3C traceparent as a receiver must read it (W3C Trace Context, level 1, §3.2 and §4.3). */
class TraceParentTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN = "00f067aa0ba902b7";

  @Test
  void readsVersion00() {
    TraceParent p = TraceParent.parse("00-" + TRACE + "-" + SPAN + "-01");
    assertThat(p).isEqualTo(new TraceParent(TRACE, SPAN, 1));
    assertThat(p.sampled()).isTrue();
    assertThat(p.format()).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
    assertThat(TraceParent.parse(" 00-" + TRACE + "-" + SPAN + "-00 ").sampled()).isFalse();
  }

  @Test
  void refusesWhatTheSpecCallsInvalid() {
    assertThat(TraceParent.parse(null)).isNull();
    assertThat(TraceParent.parse("")).isNull();
    assertThat(TraceParent.parse("ff-" + TRACE + "-" + SPAN + "-01")).isNull(); // version ff
    assertThat(TraceParent.parse("00-" + "0".repeat(32) + "-" + SPAN + "-01")).isNull();
    assertThat(TraceParent.parse("00-" + TRACE + "-" + "0".repeat(16) + "-01")).isNull();
    assertThat(TraceParent.parse("00-" + TRACE.toUpperCase() + "-" + SPAN + "-01")).isNull();
    assertThat(TraceParent.parse("00-" + TRACE + "-" + SPAN + "-01-extra")).isNull();
    assertThat(TraceParent.parse("00_" + TRACE + "-" + SPAN + "-01")).isNull();
    assertThat(TraceParent.parse("00-" + TRACE + "-" + SPAN + "-0g")).isNull();
  }

  @Test
  void readsAFutureVersionByItsFirstFields() {
    assertThat(TraceParent.parse("01-" + TRACE + "-" + SPAN + "-03-whatever"))
        .isEqualTo(new TraceParent(TRACE, SPAN, 3));
    assertThat(TraceParent.parse("01-" + TRACE + "-" + SPAN + "-03x")).isNull();
    // a version 00 header keeps only the sampled flag when forwarded
    assertThat(new TraceParent(TRACE, SPAN, 3).format()).endsWith("-01");
  }
}
