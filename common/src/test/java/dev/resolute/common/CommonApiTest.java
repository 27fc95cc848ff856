package dev.resolute.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.common.function.ThrowingFunction;
import dev.resolute.serde.Serde;
import dev.resolute.serde.SerdeFactory;
import dev.resolute.serde.TypeRef;
import dev.resolute.serde.TypeTag;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The common API as Restate's Java SDK shapes it: Output, Slice, RequestBuilder, Serde,
 * SerdeFactory.
 */
class CommonApiTest {

  @Test
  void output() {
    assertThat(Output.ready(2).map(i -> i * 2).getValue()).isEqualTo(4);
    assertThat(Output.<Integer>notReady().map(i -> i * 2).isReady()).isFalse();
    assertThat(Output.ready("a").orElse("b")).isEqualTo("a");
    assertThat(Output.<String>notReady().orElse("b")).isEqualTo("b");
    assertThat(Output.<String>notReady().orElseGet(() -> "c")).isEqualTo("c");
  }

  @Test
  void slice() {
    Slice s = Slice.wrap("abc");
    byte[] into = new byte[5];
    s.copyTo(into, 1);
    assertThat(new String(into, 1, 3, StandardCharsets.UTF_8)).isEqualTo("abc");
    ByteBuffer buf = ByteBuffer.allocate(4);
    s.copyTo(buf);
    assertThat(buf.position()).isEqualTo(3);
    assertThat(s.byteAt(1)).isEqualTo((byte) 'b');
  }

  @Test
  void requestBuilderSetters() {
    RequestBuilder<byte[], byte[]> b =
        Request.of(Target.virtualObject("Obj", "k", "h"), new byte[0])
            .header("a", "1")
            .setHeaders(Map.of("b", "2"))
            .setIdempotencyKey("ik");
    assertThat(b.getHeaders()).containsExactly(Map.entry("b", "2"));
    assertThat(b.getIdempotencyKey()).isEqualTo("ik");
    assertThat(b.getTarget().getKey()).isEqualTo("k");
    assertThat(b.getTarget().getHandler()).isEqualTo("h");
  }

  @Test
  void serdeUsingByteFunctionsAndContentType() {
    Serde<String> upper =
        Serde.using(
            "text/upper",
            s -> s.toUpperCase().getBytes(StandardCharsets.UTF_8),
            b -> new String(b, StandardCharsets.UTF_8));
    assertThat(upper.serialize("hi").toUtf8String()).isEqualTo("HI");
    assertThat(upper.deserialize(Slice.wrap("x"))).isEqualTo("x");
    assertThat(upper.contentType()).isEqualTo("text/upper");
    assertThat(Serde.using(String::getBytes, String::new).contentType())
        .isEqualTo("application/octet-stream");
    Serde<byte[]> raw = Serde.withContentType("image/png", Serde.RAW);
    assertThat(raw.contentType()).isEqualTo("image/png");
    assertThat(raw.deserialize(Slice.wrap(new byte[] {1, 2}))).containsExactly(1, 2);
    assertThat(TypeTag.of(upper)).isSameAs(upper);
  }

  @Test
  void serdeFunctionsRethrowCheckedExceptionsUnchanged() {
    Serde<String> failing =
        Serde.using(
            s -> {
              throw new IOException("disk");
            },
            b -> "");
    assertThatThrownBy(() -> failing.serialize("x"))
        .isInstanceOf(IOException.class)
        .hasMessage("disk");
    assertThat(ThrowingFunction.<String>identity().asFunction().apply("same")).isEqualTo("same");
  }

  /**
   * A factory written against Restate's interface shape: only create(Class) and create(TypeRef).
   */
  static final class ClassAndTypeRefFactory implements SerdeFactory {
    @Override
    @SuppressWarnings("unchecked")
    public <T> Serde<T> create(Class<T> clazz) {
      return (Serde<T>)
          Serde.using(
              "x/class", o -> clazz.getSimpleName().getBytes(StandardCharsets.UTF_8), b -> null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Serde<T> create(TypeRef<T> typeRef) {
      return (Serde<T>)
          Serde.using(
              "x/ref",
              o -> typeRef.getType().getTypeName().getBytes(StandardCharsets.UTF_8),
              b -> null);
    }
  }

  @Test
  void factoryWithClassAndTypeRefMethodsServesEveryEntryPoint() {
    SerdeFactory f = new ClassAndTypeRefFactory();
    assertThat(f.create(TypeTag.of(String.class)).contentType()).isEqualTo("x/class");
    assertThat(f.create(new TypeRef<List<String>>() {}).contentType()).isEqualTo("x/ref");
    assertThat(f.create(new TypeRef<List<String>>() {}.type()).contentType()).isEqualTo("x/ref");
    assertThat(
            f.<Object>create(new TypeRef<List<String>>() {}.type()).serialize(null).toUtf8String())
        .isEqualTo("java.util.List<java.lang.String>");
    assertThat(f.create((java.lang.reflect.Type) Integer.class).contentType()).isEqualTo("x/class");
    assertThatThrownBy(() -> SerdeFactory.NOOP.create(String.class))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
