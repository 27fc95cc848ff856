package dev.resolute.server.schema;

/** Handler kinds as the admin API names them. */
public enum HandlerType {
  EXCLUSIVE("Exclusive"),
  SHARED("Shared"),
  WORKFLOW("Workflow");

  private final String adminName;

  HandlerType(String adminName) {
    this.adminName = adminName;
  }

  public String adminName() {
    return adminName;
  }
}
