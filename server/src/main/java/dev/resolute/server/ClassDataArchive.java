package dev.resolute.server;

import dev.resolute.server.http.HttpHandler;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's application class-data archive, written by a running node once it has served
 * requests ({@code ./resolute-server} starts a node without an archive with {@code
 * -XX:+RecordDynamicDumpInfo -Dresolute.cds.archive=FILE}).
 *
 * <p>Written from inside the process ({@code jcmd VM.cds dynamic_dump} through the diagnostic
 * command bean), not at exit ({@code -XX:ArchiveClassesAtExit}): a node that is only ever stopped
 * by SIGKILL (a crash, the chaos suite) never exits, and an archive dumped by a run that served
 * nothing lacks the classes of the ingress, invoker and apply paths, which a restart after a crash
 * needs before it is healthy (replaying the log applies records as the apply path does). So the
 * archive is written once {@link #REQUESTS} ingress requests were answered, or at a clean stop if
 * that never happened, whichever comes first; once per process.
 *
 * <p>Invariant: {@code FILE} is either absent or a whole archive. The dump goes to a file of its
 * own (named after the pid) and is moved into place only when it succeeded, so a launcher never
 * maps a partial archive; two nodes training at once each move a whole archive.
 */
final class ClassDataArchive {
  private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);

  /** Ingress answers after which the archive is written. */
  static final int REQUESTS = 100;

  static final String PROPERTY = "resolute.cds.archive";

  private final Path target;
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicBoolean written = new AtomicBoolean();

  ClassDataArchive(Path target) {
    this.target = target;
  }

  /** The archive named by {@code -Dresolute.cds.archive}, or null (no archive to write). */
  static ClassDataArchive fromSystemProperty() {
    String f = System.getProperty(PROPERTY);
    return f == null || f.isBlank() ? null : new ClassDataArchive(Path.of(f));
  }

  /**
   * {@code handler}, counting its answers other than health checks; the {@link #REQUESTS}th starts
   * the dump.
   */
  HttpHandler counting(HttpHandler handler) {
    return request ->
        handler
            .handle(request)
            .whenComplete(
                (response, error) -> {
                  if (!request.path().startsWith("/restate/health")
                      && answered.incrementAndGet() == REQUESTS) {
                    Thread t = new Thread(this::write, "cds-archive");
                    t.setDaemon(true);
                    t.start();
                  }
                });
  }

  /**
   * At a clean stop: writes the archive if this node answered requests and did not write it yet. A
   * run that served nothing (started and stopped, as the launcher's tests do) leaves no archive, so
   * the next run trains again instead of every later start mapping an archive without the request
   * paths.
   */
  void writeAtStop() {
    if (answered.get() > 0) {
      write();
    }
  }

  /** Writes the archive unless this process did already (or is doing so). */
  void write() {
    if (!written.compareAndSet(false, true)) {
      return;
    }
    Path tmp =
        target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    long t0 = System.nanoTime();
    try {
      Files.deleteIfExists(tmp);
      Object out =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "vmCds",
                  new Object[] {new String[] {"dynamic_dump", tmp.toString()}},
                  new String[] {String[].class.getName()});
      if (!Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
        LOG.warn("class-data archive not written: {}", out);
        return;
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      LOG.info(
          "class-data archive written to {} after {} ingress answers in {} ms",
          target,
          answered.get(),
          (System.nanoTime() - t0) / 1_000_000);
    } catch (Exception | LinkageError e) {
      LOG.warn("class-data archive not written to {}: {}", target, e.toString());
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (java.io.IOException ignored) {
        // a stale temporary file is removed by the next launcher that trains
      }
    }
  }
}
