package io.orchestrator.common;

/** How secrets are shown after their creation response: never in full, at most their last four characters. */
public final class SecretMask {

  public static final String MASK = "********";

  private SecretMask() {
  }

  /** Signing secrets keep their scheme prefix and last four characters so a user can tell two apart. */
  public static String signingSecret(String secret) {
    if (secret == null) {
      return null;
    }
    String prefix = secret.startsWith("whsec_") ? "whsec_" : "";
    String tail = secret.length() > prefix.length() + 8 ? secret.substring(secret.length() - 4) : "";
    return prefix + MASK + tail;
  }

  public static boolean isMask(Object value) {
    return value instanceof String s && s.contains(MASK);
  }
}
