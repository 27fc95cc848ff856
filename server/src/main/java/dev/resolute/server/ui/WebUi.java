package dev.resolute.server.ui;

import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web UI's static files under {@code /ui/} from this package's resources (plain ES
 * modules and one CSS file, no build step). Keeps path traversal impossible because a name is one
 * path segment matching {@link #NAME} ({@code [a-z0-9-]+} and a known extension) — no {@code /},
 * {@code \}, {@code ..} or percent-escape survives — and it is looked up only in this package's
 * resource directory. Every answer carries {@code cache-control: no-cache} and a strong {@code
 * etag} (the files are not content-hashed, so a browser revalidates and gets 304 when unchanged).
 */
public final class WebUi {
  static final String RESOURCES = "/dev/resolute/server/ui/";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|js|css|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  private record Asset(String contentType, byte[] body, String etag) {}

  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  /**
   * Answers a request whose path starts with {@code /ui/}: GET and HEAD of a file (the index for
   * {@code /ui/}), 404 for any other name, 405 for other methods.
   */
  public HttpResponse handle(HttpRequest req) {
    if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
      return HttpResponse.of(405).withHeader("allow", "GET,HEAD");
    }
    String path = req.path();
    if (!path.startsWith("/ui/")) {
      return HttpResponse.of(404);
    }
    String name = path.substring("/ui/".length());
    if (name.isEmpty()) {
      name = "index.html";
    }
    if (!NAME.matcher(name).matches()) {
      return HttpResponse.of(404);
    }
    Optional<Asset> asset = cache.computeIfAbsent(name, WebUi::load);
    if (asset.isEmpty()) {
      return HttpResponse.of(404);
    }
    Asset a = asset.get();
    if (a.etag.equals(req.header("if-none-match"))) {
      return HttpResponse.of(304)
          .withHeader("etag", a.etag)
          .withHeader("cache-control", "no-cache");
    }
    return HttpResponse.bytes(200, a.contentType, a.body)
        .withHeader("etag", a.etag)
        .withHeader("cache-control", "no-cache")
        .withHeader("x-content-type-options", "nosniff");
  }

  private static Optional<Asset> load(String name) {
    try (InputStream in = WebUi.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] body = in.readAllBytes();
      String ext = name.substring(name.lastIndexOf('.') + 1);
      return Optional.of(new Asset(TYPES.get(ext), body, etag(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etag(byte[] body) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
