package dev.resolute.server.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/** Test listener: queues chunks, completes futures on headers and on the terminal call. */
final class RecordingListener implements ExchangeListener {
  final CompletableFuture<Integer> status = new CompletableFuture<>();
  volatile List<Map.Entry<String, String>> headers;
  final BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
  final ByteArrayOutputStream all = new ByteArrayOutputStream();
  final CompletableFuture<Void> done = new CompletableFuture<>();
  volatile int terminalCalls;

  @Override
  public void onResponseHeaders(int s, List<Map.Entry<String, String>> h) {
    headers = h;
    status.complete(s);
  }

  @Override
  public synchronized void onData(byte[] chunk) {
    all.writeBytes(chunk);
    chunks.add(new String(chunk, StandardCharsets.UTF_8));
  }

  @Override
  public void onEnd() {
    terminalCalls++;
    done.complete(null);
  }

  @Override
  public void onError(Throwable cause) {
    terminalCalls++;
    done.completeExceptionally(cause);
  }

  String header(String name) {
    for (Map.Entry<String, String> e : headers) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
