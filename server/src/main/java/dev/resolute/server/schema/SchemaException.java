package dev.resolute.server.schema;

/**
 * A registration or discovery failure with the HTTP status and Restate error code the admin API
 * answers with ({@code {"message": ..., "restate_code": ...}}).
 */
public class SchemaException extends Exception {
  private final int status;
  private final String restateCode;

  /** @param restateCode e.g. "META0006", or null */
  public SchemaException(int status, String restateCode, String message) {
    super(message);
    this.status = status;
    this.restateCode = restateCode;
  }

  public int status() {
    return status;
  }

  public String restateCode() {
    return restateCode;
  }
}
