package dev.resolute.protocol.id;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** Invocation uuids for workflow runs and idempotent requests (PROTOCOL.md §6.1). */
public final class DeterministicIds {
  private DeterministicIds() {}

  public static InvocationId workflowRun(String service, String workflowKey) {
    byte[] uuid = sha16("wf", service, workflowKey);
    return new InvocationId(PartitionKeys.keyed(workflowKey), uuid);
  }

  /**
   * @param key the object key for keyed services, {@code null} for plain services
   */
  public static InvocationId idempotent(
      String service, String key, String handler, String idempotencyKey) {
    byte[] uuid =
        key == null
            ? sha16("ik", service, handler, idempotencyKey)
            : sha16("ik", service, key, handler, idempotencyKey);
    long pk =
        key == null ? PartitionKeys.idempotent(service, idempotencyKey) : PartitionKeys.keyed(key);
    return new InvocationId(pk, uuid);
  }

  private static byte[] sha16(String... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        b.write(0x2C);
      }
      b.writeBytes(parts[i].getBytes(StandardCharsets.UTF_8));
    }
    try {
      return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(b.toByteArray()), 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
