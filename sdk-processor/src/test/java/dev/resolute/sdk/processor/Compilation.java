package dev.resolute.sdk.processor;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles sources in memory with the system compiler and the {@link ServiceProcessor}, into a temp
 * directory; the classpath is this test's classpath, optionally filtered (to drop the client).
 */
final class Compilation {
  final boolean success;
  final List<Diagnostic<? extends JavaFileObject>> diagnostics;
  final Path out;
  final Path generated;

  private Compilation(
      boolean success,
      List<Diagnostic<? extends JavaFileObject>> diagnostics,
      Path out,
      Path generated) {
    this.success = success;
    this.diagnostics = diagnostics;
    this.out = out;
    this.generated = generated;
  }

  static Compilation compile(Map<String, String> sources) {
    return compile(sources, entry -> true);
  }

  /**
   * @param keepOnClasspath filter on classpath entries
   */
  static Compilation compile(Map<String, String> sources, Predicate<String> keepOnClasspath) {
    try {
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      Path out = Files.createTempDirectory("proc-out");
      Path gen = Files.createTempDirectory("proc-gen");
      DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
      try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, null)) {
        fm.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
        fm.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(gen.toFile()));
        List<File> cp =
            Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(keepOnClasspath)
                .map(File::new)
                .toList();
        fm.setLocation(StandardLocation.CLASS_PATH, cp);
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, code) -> units.add(new Source(name, code)));
        JavaCompiler.CompilationTask task =
            javac.getTask(null, fm, diags, List.of("-parameters"), null, units);
        task.setProcessors(List.of(new ServiceProcessor()));
        boolean ok = task.call();
        return new Compilation(ok, diags.getDiagnostics(), out, gen);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> errors() {
    return diagnostics.stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> d.getMessage(Locale.ROOT))
        .toList();
  }

  String generatedSource(String relativePath) {
    try {
      return Files.readString(generated.resolve(relativePath));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> generatedFiles() {
    try (Stream<Path> s = Files.walk(generated)) {
      return s.filter(Files::isRegularFile)
          .map(p -> generated.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String resource(String path) {
    try {
      return Files.readString(out.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A loader over the compiled classes, delegating to this test's loader for everything else. */
  URLClassLoader loader() {
    try {
      return new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return diagnostics.stream()
        .map(
            d ->
                d.getKind()
                    + ": "
                    + d.getMessage(Locale.ROOT)
                    + (d.getSource() == null
                        ? ""
                        : " (" + d.getSource().getName() + ":" + d.getLineNumber() + ")"))
        .collect(Collectors.joining("\n"));
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String className, String code) {
      super(
          URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension),
          Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}
