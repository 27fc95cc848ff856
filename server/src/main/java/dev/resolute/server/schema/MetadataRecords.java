package dev.resolute.server.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.resolute.server.discovery.DiscoveredEndpoint;
import dev.resolute.server.pb.meta.Endpoint;
import dev.resolute.server.pb.meta.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Values of metadata records ({@code metadata.proto}) to and from the registry's types. */
public final class MetadataRecords {
  private MetadataRecords() {}

  /** An ordered map as pairs (null: none). */
  public static List<Pair> pairs(Map<String, String> map) {
    List<Pair> out = new ArrayList<>();
    if (map != null) {
      map.forEach(
          (k, v) -> out.add(Pair.newBuilder().setKey(k).setValue(v == null ? "" : v).build()));
    }
    return out;
  }

  /** Pairs as an ordered map. */
  public static Map<String, String> map(List<Pair> pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Pair p : pairs) {
      out.put(p.getKey(), p.getValue());
    }
    return out;
  }

  /** A discovered endpoint; its manifest as the registry file keeps it. */
  static Endpoint endpoint(DiscoveredEndpoint ep) {
    Endpoint.Builder b =
        Endpoint.newBuilder()
            .setUri(ep.uri())
            .setHttp11(ep.http11())
            .setManifestVersion(ep.manifestVersion());
    if (ep.sdkVersion() != null) {
      b.setSdkVersion(ep.sdkVersion());
    }
    try {
      b.setManifestJson(
          com.google.protobuf.ByteString.copyFrom(
              SchemaRegistry.JSON.writeValueAsBytes(ep.manifest())));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return b.build();
  }

  static DiscoveredEndpoint endpoint(Endpoint e) {
    try {
      return new DiscoveredEndpoint(
          e.getUri(),
          e.getHttp11(),
          RegistryFile.manifest(SchemaRegistry.JSON.readTree(e.getManifestJson().toByteArray())),
          e.hasSdkVersion() ? e.getSdkVersion() : null,
          e.getManifestVersion());
    } catch (IOException x) {
      throw new UncheckedIOException("a metadata record holds a manifest that cannot be read", x);
    }
  }
}
