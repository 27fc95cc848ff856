package dev.resolute.server.cluster.snapshot;

import dev.resolute.server.config.SnapshotsConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A snapshot repository in S3 or an S3-compatible object store ({@code s3://bucket/prefix}),
 * through the AWS SDK v2 with the JDK's URL connection as HTTP client. A PUT makes an object
 * visible whole or not at all, which is what the manifest rule of {@link Snapshots} needs. With
 * {@code aws-endpoint-url} requests are path-style (what S3-compatible stores expect); credentials
 * are the static keys when set, else the named profile, else the SDK's default chain (environment,
 * profile files, instance roles). Failed requests are retried by the SDK's standard retry strategy.
 */
public final class S3Repository implements SnapshotRepository {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  private S3Repository(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  static S3Repository open(SnapshotsConfig c) {
    URI u = URI.create(c.destination());
    String path = u.getPath() == null ? "" : u.getPath();
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    var b =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .credentialsProvider(credentials(c));
    if (c.awsRegion() != null) {
      b.region(Region.of(c.awsRegion()));
    } else if (c.awsEndpointUrl() != null) {
      b.region(Region.US_EAST_1); // signing needs one; S3-compatible stores accept any
    }
    if (c.awsEndpointUrl() != null) {
      b.endpointOverride(URI.create(c.awsEndpointUrl()))
          .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
    }
    return new S3Repository(b.build(), u.getHost(), path.isEmpty() ? "" : path + "/");
  }

  private static AwsCredentialsProvider credentials(SnapshotsConfig c) {
    if (c.awsAccessKeyId() != null) {
      return StaticCredentialsProvider.create(
          c.awsSessionToken() != null
              ? AwsSessionCredentials.create(
                  c.awsAccessKeyId(), c.awsSecretAccessKey(), c.awsSessionToken())
              : AwsBasicCredentials.create(c.awsAccessKeyId(), c.awsSecretAccessKey()));
    }
    if (c.awsProfile() != null) {
      return ProfileCredentialsProvider.create(c.awsProfile());
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private String object(String key) {
    return prefix + key;
  }

  @Override
  public void put(String key, Path file) throws IOException {
    call(() -> s3.putObject(r -> r.bucket(bucket).key(object(key)), RequestBody.fromFile(file)));
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    call(() -> s3.putObject(r -> r.bucket(bucket).key(object(key)), RequestBody.fromBytes(bytes)));
  }

  @Override
  public void get(String key, Path target) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".part");
    Files.deleteIfExists(tmp);
    call(() -> s3.getObject(r -> r.bucket(bucket).key(object(key)), tmp));
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public byte[] get(String key) throws IOException {
    try {
      return call(() -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(object(key))).asByteArray());
    } catch (IOException e) {
      if (e.getCause() instanceof NoSuchKeyException) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public List<String> list(String keyPrefix) throws IOException {
    List<String> out = new ArrayList<>();
    call(
        () -> {
          for (S3Object o :
              s3.listObjectsV2Paginator(
                      ListObjectsV2Request.builder()
                          .bucket(bucket)
                          .prefix(object(keyPrefix))
                          .build())
                  .contents()) {
            out.add(o.key().substring(prefix.length()));
          }
          return null;
        });
    return out;
  }

  @Override
  public void delete(String key) throws IOException {
    call(() -> s3.deleteObject(r -> r.bucket(bucket).key(object(key))));
  }

  @Override
  public long size(String key) throws IOException {
    try {
      HeadObjectResponse h = call(() -> s3.headObject(r -> r.bucket(bucket).key(object(key))));
      return h.contentLength();
    } catch (IOException e) {
      if (e.getCause() instanceof S3Exception s && s.statusCode() == 404) {
        return -1;
      }
      throw e;
    }
  }

  private interface Call<T> {
    T run();
  }

  private <T> T call(Call<T> c) throws IOException {
    try {
      return c.run();
    } catch (SdkException e) {
      throw new IOException("S3 bucket " + bucket + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix;
  }
}
