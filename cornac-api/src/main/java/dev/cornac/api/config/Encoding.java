package dev.cornac.api.config;

/**
 * How a configuration value is written in the ConfigMap form (upstream: pkg/util/config/util.go,
 * processField).
 */
public enum Encoding {
  BOOL,
  INT,
  DURATION,
  STRING,
  TEMPLATE,
  LIST,
  MAP,
  NSNAME,
  CONTAINERS,
  PROBE;

  static Encoding parse(String column) {
    return switch (column) {
      case "bool" -> BOOL;
      case "int" -> INT;
      case "duration" -> DURATION;
      case "string" -> STRING;
      case "template" -> TEMPLATE;
      case "list" -> LIST;
      case "map" -> MAP;
      case "nsname" -> NSNAME;
      case "containers" -> CONTAINERS;
      case "probe" -> PROBE;
      default -> throw new IllegalArgumentException("unknown encoding " + column);
    };
  }
}
