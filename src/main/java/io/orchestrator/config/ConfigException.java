package io.orchestrator.config;

/** A configuration value that cannot be used; the message names the variable and says what is expected. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}
