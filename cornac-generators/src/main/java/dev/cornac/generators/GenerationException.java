package dev.cornac.generators;

/**
 * The configuration and manifest together cannot produce an object (upstream fails the same way).
 */
public class GenerationException extends RuntimeException {
  public GenerationException(String message) {
    super(message);
  }
}
