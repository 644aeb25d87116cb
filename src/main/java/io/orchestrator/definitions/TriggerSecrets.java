package io.orchestrator.definitions;

import io.orchestrator.common.SecretMask;
import io.orchestrator.common.crypto.WebhookSecrets;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Signing secrets of http-triggers: generated when a signed trigger has none, kept when an update leaves the
 * secret out (or sends it back masked), and rotated when an update brings a new one: the previous secret stays
 * valid for {@link #ROTATION_GRACE_MS}. Internal fields never leave the service (see {@link #publicView}).
 */
public final class TriggerSecrets {

  public static final long ROTATION_GRACE_MS = 24 * 60 * 60 * 1000L;
  static final String PREVIOUS = "previousSigningSecret";
  static final String ROTATED_AT = "signingSecretRotatedAt";

  private TriggerSecrets() {
  }

  /** The trigger to store for a create. */
  public static JsonObject forCreate(JsonObject trigger) {
    JsonObject stored = trigger.copy();
    if (signed(stored) && !hasUsableSecret(stored)) {
      stored.put("signingSecret", WebhookSecrets.generate());
    }
    return stored;
  }

  /** The trigger to store for an update of a definition whose stored trigger is {@code current}. */
  public static JsonObject forUpdate(JsonObject trigger, JsonObject current, Instant now) {
    JsonObject stored = trigger.copy();
    if (!signed(stored)) {
      return stored;
    }
    String old = current.getString("signingSecret");
    if (!hasUsableSecret(stored)) {
      stored.put("signingSecret", old != null ? old : WebhookSecrets.generate());
      copyRotation(current, stored);
    } else if (old != null && !old.equals(stored.getString("signingSecret"))) {
      stored.put(PREVIOUS, old).put(ROTATED_AT, now.toEpochMilli());
    } else {
      copyRotation(current, stored);
    }
    return stored;
  }

  /** What clients see: no internal fields and, unless {@code reveal}, a masked secret. */
  public static JsonObject publicView(JsonObject stored, boolean reveal) {
    JsonObject view = stored.copy();
    view.remove(PREVIOUS);
    view.remove(ROTATED_AT);
    String secret = view.getString("signingSecret");
    if (secret != null && !reveal) {
      view.put("signingSecret", SecretMask.signingSecret(secret));
    }
    return view;
  }

  /** Secrets that verify a delivery now: the current one, and the previous one inside its grace period. */
  public static List<String> activeSecrets(JsonObject stored, Instant now) {
    List<String> secrets = new ArrayList<>();
    String current = stored.getString("signingSecret");
    if (current != null) {
      secrets.add(current);
    }
    Long rotatedAt = stored.getLong(ROTATED_AT);
    String previous = stored.getString(PREVIOUS);
    if (previous != null && rotatedAt != null && now.toEpochMilli() - rotatedAt < ROTATION_GRACE_MS) {
      secrets.add(previous);
    }
    return secrets;
  }

  private static boolean signed(JsonObject trigger) {
    return "http-trigger".equals(trigger.getString("type")) && Boolean.TRUE.equals(trigger.getBoolean("validateSignature"));
  }

  private static boolean hasUsableSecret(JsonObject trigger) {
    String secret = trigger.getString("signingSecret");
    return secret != null && !secret.isBlank() && !SecretMask.isMask(secret);
  }

  private static void copyRotation(JsonObject from, JsonObject to) {
    if (from.containsKey(PREVIOUS)) {
      to.put(PREVIOUS, from.getValue(PREVIOUS)).put(ROTATED_AT, from.getValue(ROTATED_AT));
    }
  }
}
