package dev.resolute.server.schema;

/** Service kinds as the admin API names them. */
public enum ServiceType {
  SERVICE("Service"),
  VIRTUAL_OBJECT("VirtualObject"),
  WORKFLOW("Workflow");

  private final String adminName;

  ServiceType(String adminName) {
    this.adminName = adminName;
  }

  /** "Service" | "VirtualObject" | "Workflow" as in admin JSON. */
  public String adminName() {
    return adminName;
  }

  public boolean isKeyed() {
    return this != SERVICE;
  }
}
