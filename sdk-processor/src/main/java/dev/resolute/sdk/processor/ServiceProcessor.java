package dev.resolute.sdk.processor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * The Resolute annotation processor. For each type annotated {@code @Service},
 * {@code @VirtualObject} or {@code @Workflow} it checks the handler signatures (errors point at the
 * method) and generates, in the type's package:
 *
 * <ul>
 *   <li>{@code <Type>Handlers} — request builders and serdes per handler;
 *   <li>{@code <Type>Client} — {@code fromContext(ctx[, key])} and, when {@code resolute-client} is
 *       on the classpath, {@code fromClient(client[, key])} / {@code connect(uri[, key])};
 *   <li>{@code <Type>ServiceDefinitionFactory} — registered in {@code META-INF/services}, so {@code
 *       Endpoint.bind(instance)} binds without reflection.
 * </ul>
 */
@SupportedAnnotationTypes({
  "dev.resolute.sdk.annotation.Service",
  "dev.resolute.sdk.annotation.VirtualObject",
  "dev.resolute.sdk.annotation.Workflow"
})
public final class ServiceProcessor extends AbstractProcessor {
  static final String SERVICES_FILE = "META-INF/services/" + FactoryWriter.INTERFACE;

  private final Set<String> factories = new TreeSet<>();

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    ModelReader reader =
        new ModelReader(
            processingEnv.getElementUtils(),
            processingEnv.getTypeUtils(),
            processingEnv.getMessager());
    boolean withIngress =
        processingEnv.getElementUtils().getTypeElement("dev.resolute.client.Client") != null;
    Set<TypeElement> seen = new java.util.LinkedHashSet<>();
    for (TypeElement annotation : annotations) {
      for (Element e : round.getElementsAnnotatedWith(annotation)) {
        // @Workflow also marks the run method; only types define services
        if (e instanceof TypeElement t) {
          seen.add(t);
        }
      }
    }
    for (TypeElement t : seen) {
      ServiceModel model = reader.read(t);
      if (model == null) {
        continue;
      }
      write(model, HandlersWriter.className(model), HandlersWriter.write(model), t);
      write(model, ClientWriter.className(model), ClientWriter.write(model, withIngress), t);
      write(model, FactoryWriter.className(model), FactoryWriter.write(model), t);
      factories.add(qualified(model, FactoryWriter.className(model)));
    }
    if (round.processingOver() && !factories.isEmpty()) {
      writeServicesFile();
    }
    return false;
  }

  private static String qualified(ServiceModel m, String simple) {
    return m.packageName().isEmpty() ? simple : m.packageName() + "." + simple;
  }

  private void write(ServiceModel m, String simpleName, String source, TypeElement origin) {
    try {
      JavaFileObject f =
          processingEnv.getFiler().createSourceFile(qualified(m, simpleName), origin);
      try (Writer w = f.openWriter()) {
        w.write(source);
      }
    } catch (IOException e) {
      processingEnv
          .getMessager()
          .printMessage(
              Diagnostic.Kind.ERROR, "cannot write " + simpleName + ": " + e.getMessage(), origin);
    }
  }

  /** Merges with a services file left by an earlier (incremental) compilation. */
  private void writeServicesFile() {
    Filer filer = processingEnv.getFiler();
    Set<String> all = new TreeSet<>(factories);
    try {
      FileObject existing = filer.getResource(StandardLocation.CLASS_OUTPUT, "", SERVICES_FILE);
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(existing.openInputStream(), StandardCharsets.UTF_8))) {
        r.lines()
            .map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .forEach(all::add);
      }
    } catch (IOException | IllegalArgumentException e) {
      // no earlier file
    }
    try {
      FileObject f = filer.createResource(StandardLocation.CLASS_OUTPUT, "", SERVICES_FILE);
      try (Writer w = f.openWriter()) {
        for (String c : all) {
          w.write(c);
          w.write('\n');
        }
      }
    } catch (IOException e) {
      processingEnv
          .getMessager()
          .printMessage(
              Diagnostic.Kind.ERROR, "cannot write " + SERVICES_FILE + ": " + e.getMessage());
    }
  }
}
