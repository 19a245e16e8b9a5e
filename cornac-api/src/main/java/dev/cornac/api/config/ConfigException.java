package dev.cornac.api.config;

/**
 * A configuration value that cannot be read; the message names the key, the value and what is
 * accepted.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
