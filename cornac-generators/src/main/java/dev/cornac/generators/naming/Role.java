package dev.cornac.generators.naming;

/** The two roles a Service, a pooler or a pod serves; the label values are upstream's. */
public enum Role {
  MASTER("master"),
  REPLICA("replica");

  private final String label;

  Role(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
