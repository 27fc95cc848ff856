package dev.resolute.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRequestTest {
  private static Map<String, String> query(String uri) {
    return new HttpRequest("GET", uri, List.of(), new byte[0]).query();
  }

  @Test
  void queryIsFormDecoded() {
    assertThat(query("/a?delay=1h%204m&x=a+b&y=%C3%A9&z"))
        .containsExactly(
            Map.entry("delay", "1h 4m"),
            Map.entry("x", "a b"),
            Map.entry("y", "é"),
            Map.entry("z", ""));
  }

  @Test
  void anEscapeThatIsNotTwoHexDigitsStaysAsWritten() {
    // URLDecoder throws on these, which made ingress answer 500 (IngressApiFuzzTest)
    assertThat(query("/a?delay=-5%\u00ff3F&b=%&c=%4&d=%zz%41"))
        .containsExactly(
            Map.entry("delay", "-5%\u00ff3F"),
            Map.entry("b", "%"),
            Map.entry("c", "%4"),
            Map.entry("d", "%zzA"));
    assertThat(HttpRequest.decodeComponent("dp_1%P")).isEqualTo("dp_1%P");
  }
}
