package dev.resolute.server.schema;

import dev.resolute.server.api.ErrorCode;

/**
 * A registration or discovery failure with the HTTP status and Restate error code the admin API
 * answers with ({@code {"message": ..., "restate_code": ...}}).
 */
public class SchemaException extends Exception {
  private final int status;
  private final ErrorCode restateCode;

  /**
   * @param restateCode e.g. {@link ErrorCode#META0006}, or null
   */
  public SchemaException(int status, ErrorCode restateCode, String message) {
    super(message);
    this.status = status;
    this.restateCode = restateCode;
  }

  public int status() {
    return status;
  }

  /** The code as Restate writes it ({@code "META0006"}), or null. */
  public String restateCode() {
    return ErrorCode.codeOf(restateCode);
  }
}
