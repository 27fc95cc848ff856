package dev.resolute.server.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts JVM child processes on the test classpath and kills them hard (SIGKILL). */
final class Processes {
  private Processes() {}

  static Process java(String mainClass, List<String> args, Map<String, String> env, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(
        ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    Process p = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    return p;
  }

  static void kill9(Process p) throws InterruptedException {
    if (p != null && p.isAlive()) {
      try {
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
      } catch (IOException e) {
        p.destroyForcibly();
      }
      p.waitFor();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  static String sep() {
    return File.pathSeparator;
  }
}
