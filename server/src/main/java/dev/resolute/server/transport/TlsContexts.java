package dev.resolute.server.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS to {@code https://} deployments, as restate-server does it: the platform's trusted roots
 * plus, when given, the certificates of a PEM bundle (restate-server reads {@code SSL_CERT_FILE};
 * the composition root passes the same), the host name verified against the certificate, ALPN
 * offering {@code h2} for HTTP/2 deployments and {@code http/1.1} for request/response ones.
 */
final class TlsContexts {
  private final SslContext h2;
  private final SslContext http11;

  /**
   * @param extraCaFile a PEM file of additional trusted certificates, or null
   */
  TlsContexts(Path extraCaFile) {
    try {
      TrustManagerFactory trust = trust(extraCaFile);
      h2 = context(trust, ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
      http11 = context(trust, ApplicationProtocolNames.HTTP_1_1);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot set up TLS to deployments"
              + (extraCaFile == null ? "" : " with the certificates in " + extraCaFile)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** A client context offering {@code protocols} by ALPN, in order of preference. */
  private static SslContext context(TrustManagerFactory trust, String... protocols)
      throws IOException {
    return SslContextBuilder.forClient()
        .sslProvider(SslProvider.JDK)
        .trustManager(trust)
        .applicationProtocolConfig(
            new ApplicationProtocolConfig(
                Protocol.ALPN,
                SelectorFailureBehavior.NO_ADVERTISE,
                SelectedListenerFailureBehavior.ACCEPT,
                protocols))
        .build();
  }

  /** A TLS handler for a connection to {@code host:port} (SNI and host name verification). */
  SslHandler newHandler(ByteBufAllocator alloc, String host, int port, boolean http11) {
    SslHandler handler = (http11 ? this.http11 : h2).newHandler(alloc, host, port);
    SSLEngine engine = handler.engine();
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(params);
    return handler;
  }

  private static TrustManagerFactory trust(Path extraCaFile)
      throws IOException, GeneralSecurityException {
    TrustManagerFactory platform =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    platform.init((KeyStore) null);
    if (extraCaFile == null) {
      return platform;
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (var tm : platform.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        for (X509Certificate c : x.getAcceptedIssuers()) {
          ks.setCertificateEntry("platform-" + i++, c);
        }
      }
    }
    List<Certificate> extra = new ArrayList<>();
    try (InputStream in = Files.newInputStream(extraCaFile)) {
      extra.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
    if (extra.isEmpty()) {
      throw new GeneralSecurityException("no certificate found");
    }
    for (Certificate c : extra) {
      ks.setCertificateEntry("extra-" + i++, c);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    return tmf;
  }
}
