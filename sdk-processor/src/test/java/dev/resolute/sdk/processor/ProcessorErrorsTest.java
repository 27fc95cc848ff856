package dev.resolute.sdk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad handler signatures are compile errors pointing at the problem. */
class ProcessorErrorsTest {

  static Compilation compile(String body) {
    return Compilation.compile(Map.of("demo.Bad", ProcessorCompileTest.IMPORTS + body));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "two inputs | @Service public class Bad { @Handler public String h(Context c, String a, String b) { return a; } } | at most one input",
        "no context | @Service public class Bad { @Handler public String h(String a) { return a; } } | first parameter",
        "object context in service | @Service public class Bad { @Handler public void h(ObjectContext c) {} } | first parameter",
        "exclusive context in shared | @VirtualObject public class Bad { @Shared public void h(ObjectContext c) {} } | first parameter",
        "shared in service | @Service public class Bad { @Shared public void h(Context c) {} } | only in virtual objects and workflows",
        "exclusive in service | @Service public class Bad { @Exclusive public void h(Context c) {} } | @Exclusive handlers exist only in virtual objects",
        "exclusive and shared | @VirtualObject public class Bad { @Exclusive @Shared public void h(SharedObjectContext c) {} } | either @Exclusive or @Shared",
        "workflow without run | @Workflow public class Bad { @Shared public void h(SharedWorkflowContext c) {} } | exactly one @Workflow method",
        "two runs | @Workflow public class Bad { @Workflow public void a(WorkflowContext c) {} @Workflow public void b(WorkflowContext c) {} } | exactly one @Workflow method",
        "plain handler in workflow | @Workflow public class Bad { @Workflow public void run(WorkflowContext c) {} @Handler public void h(WorkflowContext c) {} } | @Workflow (the run handler) or @Shared",
        "raw string | @Service public class Bad { @Handler public void h(Context c, @Raw String s) {} } | @Raw input must be byte[]",
        "raw output string | @Service public class Bad { @Handler @Raw public String h(Context c) { return null; } } | @Raw output must be byte[]",
        "not public | @Service public class Bad { @Handler void h(Context c) {} } | must be public",
        "static | @Service public class Bad { @Handler public static void h(Context c) {} } | must be public and not static",
        "generic method | @Service public class Bad { @Handler public <T> T h(Context c, T t) { return t; } } | must not be generic",
        "overloaded | @Service public class Bad { @Handler public void h(Context c) {} @Handler @Name(\"h2\") public void h(Context c, String s) {} } | must not be overloaded",
        "duplicate name | @Service public class Bad { @Handler public void a(Context c) {} @Handler @Name(\"a\") public void b(Context c) {} } | duplicate handler name",
        "no handlers | @Service public class Bad { public void a(Context c) {} } | at least one handler",
        "reserved name | @Service @Name(\"restateFoo\") public class Bad { @Handler public void a(Context c) {} } | reserved service name",
        "bad handler name | @Service public class Bad { @Handler @Name(\"a-b\") public void a(Context c) {} } | invalid handler name",
        "schedule off a handler | @Service public class Bad { @Handler public void a(Context c) {} @dev.resolute.sdk.annotation.Schedule(cron = \"* * * * *\") public void b(Context c) {} } | go on handler methods",
        "rate off a handler | @Service public class Bad { @Handler public void a(Context c) {} @dev.resolute.sdk.annotation.RateLimit(perSecond = 1) public void b(Context c) {} } | go on handler methods",
      })
  void rejected(String what, String body, String expected) {
    Compilation c = compile(body);
    assertThat(c.success).as(what).isFalse();
    assertThat(String.join("\n", c.errors())).as(what).contains(expected);
    assertThat(c.generatedFiles()).as(what + ": nothing generated for a bad service").isEmpty();
  }

  @Test
  void nonStaticNestedServiceIsRejected() {
    Compilation c =
        compile(
            "public class Bad { @Service public class Inner { @Handler public void h(Context c) {} } }");
    assertThat(c.errors()).anyMatch(e -> e.contains("must be static"));
  }

  @Test
  void privateNestedServiceIsRejected() {
    Compilation c =
        compile(
            "public class Bad { @Service private static class Inner { @Handler public void h(Context c) {} } }");
    assertThat(c.errors()).anyMatch(e -> e.contains("must not be private"));
  }
}
