package io.orchestrator.triggers.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StandardWebhooksVerifierTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OLD_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
  private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
  private static final String OLD_SECRET = "whsec_" + Base64.getEncoder().encodeToString(OLD_KEY);
  private static final String ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  private static final long SIGNED_AT = 1_795_866_231L;
  private static final byte[] BODY = "{\"type\":\"user.created\"}".getBytes(StandardCharsets.UTF_8);

  private final SignatureVerifier verifier = SignatureVerifier.create();

  private static String v1(byte[] key) {
    return "v1," + StandardWebhooksVerifier.signature(key, ID, SIGNED_AT, BODY);
  }

  private VerificationResult verify(String signatureHeader, List<String> secrets, long now) {
    return verifier.verify(SignatureScheme.STANDARD_WEBHOOKS, Headers.of("webhook-id", ID,
        "webhook-timestamp", Long.toString(SIGNED_AT), "webhook-signature", signatureHeader), BODY, secrets, now);
  }

  @DisplayName("accepts a signature 299 s old and 300 s old")
  @ParameterizedTest
  @ValueSource(longs = {299, 300})
  void acceptsWithinTolerance(long age) {
    VerificationResult result = verify(v1(KEY), List.of(SECRET), SIGNED_AT + age);

    assertThat(result.valid()).as(result.reason()).isTrue();
  }

  @DisplayName("rejects a replay 301 s old even though the signature matches")
  @Test
  void rejectsReplay() {
    assertThat(verify(v1(KEY), List.of(SECRET), SIGNED_AT + 301).valid()).isFalse();
  }

  @DisplayName("rejects a timestamp more than 300 s in the future")
  @Test
  void rejectsFutureBeyondTolerance() {
    assertThat(verify(v1(KEY), List.of(SECRET), SIGNED_AT - 300).valid()).isTrue();
    assertThat(verify(v1(KEY), List.of(SECRET), SIGNED_AT - 301).valid()).isFalse();
  }

  @DisplayName("accepts when only the second of several v1 entries matches, skipping v1a entries")
  @Test
  void anyV1MayMatch() {
    String rightMac = StandardWebhooksVerifier.signature(KEY, ID, SIGNED_AT, BODY);
    String header = v1(OLD_KEY) + " v1a," + rightMac + " " + v1(KEY);

    assertThat(verify(header, List.of(SECRET), SIGNED_AT).valid()).isTrue();
  }

  @DisplayName("does not accept a v1a entry even when it carries the right MAC")
  @Test
  void ignoresOtherVersions() {
    String header = "v1a," + StandardWebhooksVerifier.signature(KEY, ID, SIGNED_AT, BODY);

    assertThat(verify(header, List.of(SECRET), SIGNED_AT).valid()).isFalse();
  }

  @DisplayName("accepts the previous secret during rotation and rejects when neither secret signed")
  @Test
  void rotation() {
    assertThat(verify(v1(OLD_KEY), List.of(SECRET, OLD_SECRET), SIGNED_AT).valid()).isTrue();
    byte[] stranger = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz".getBytes(StandardCharsets.US_ASCII);
    assertThat(verify(v1(stranger), List.of(SECRET, OLD_SECRET), SIGNED_AT).valid()).isFalse();
  }

  @DisplayName("decodes a secret without the whsec_ prefix as plain base64")
  @Test
  void unprefixedSecret() {
    String unprefixed = Base64.getEncoder().encodeToString(KEY);

    assertThat(verify(v1(KEY), List.of(unprefixed), SIGNED_AT).valid()).isTrue();
  }

  @DisplayName("skips a secret that is not base64 and still tries the next one")
  @Test
  void skipsUndecodableSecret() {
    assertThat(verify(v1(KEY), List.of("whsec_not base64!", SECRET), SIGNED_AT).valid()).isTrue();
    assertThat(verify(v1(KEY), List.of("whsec_not base64!"), SIGNED_AT).valid()).isFalse();
  }

  @DisplayName("rejects when any of the three webhook headers is missing")
  @ParameterizedTest
  @ValueSource(strings = {"webhook-id", "webhook-timestamp", "webhook-signature"})
  void rejectsMissingHeader(String missing) {
    List<String> all = List.of("webhook-id", ID, "webhook-timestamp", Long.toString(SIGNED_AT),
        "webhook-signature", v1(KEY));
    String[] present = new String[4];
    int next = 0;
    for (int i = 0; i < all.size(); i += 2) {
      if (!all.get(i).equals(missing)) {
        present[next++] = all.get(i);
        present[next++] = all.get(i + 1);
      }
    }

    VerificationResult result = verifier.verify(SignatureScheme.STANDARD_WEBHOOKS, Headers.of(present), BODY,
        List.of(SECRET), SIGNED_AT);
    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).isEqualTo("missing " + missing + " header");
  }

  @DisplayName("rejects a non-numeric webhook-timestamp")
  @Test
  void rejectsNonNumericTimestamp() {
    VerificationResult result = verifier.verify(SignatureScheme.STANDARD_WEBHOOKS, Headers.of("webhook-id", ID,
        "webhook-timestamp", "2026-11-28T12:00:00Z", "webhook-signature", v1(KEY)), BODY, List.of(SECRET), SIGNED_AT);

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).contains("non-numeric");
  }

  @DisplayName("rejects signature headers with no v1 entry")
  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"garbage", "v2,abc", ",abc", "v1a,abc v2,def"})
  void rejectsMalformedSignatureHeader(String header) {
    assertThat(verify(header, List.of(SECRET), SIGNED_AT).valid()).isFalse();
  }
}
