package io.orchestrator.triggers.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.crypto.StripeSigner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StripeVerifierTest {

  private static final String SECRET = "whsec_current";
  private static final String OLD_SECRET = "whsec_previous";
  private static final long SIGNED_AT = 1_795_866_248L;
  private static final byte[] BODY = "{\"id\":\"evt_1\",\"object\":\"event\"}".getBytes(StandardCharsets.UTF_8);

  private final SignatureVerifier verifier = SignatureVerifier.create();

  private VerificationResult verify(String header, List<String> secrets, long now) {
    return verifier.verify(SignatureScheme.STRIPE, Headers.of("Stripe-Signature", header), BODY, secrets, now);
  }

  private static String v1(String secret) {
    return StripeSigner.signature(secret, SIGNED_AT, BODY);
  }

  @DisplayName("accepts a signature 299 s old and 300 s old")
  @ParameterizedTest
  @ValueSource(longs = {299, 300})
  void acceptsWithinTolerance(long age) {
    String header = StripeSigner.header(SECRET, BODY, SIGNED_AT);

    VerificationResult result = verify(header, List.of(SECRET), SIGNED_AT + age);

    assertThat(result.valid()).as(result.reason()).isTrue();
  }

  @DisplayName("rejects a replay 301 s old even though the signature matches")
  @Test
  void rejectsReplay() {
    String header = StripeSigner.header(SECRET, BODY, SIGNED_AT);

    VerificationResult result = verify(header, List.of(SECRET), SIGNED_AT + 301);

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).contains("301 s old");
  }

  @DisplayName("rejects a timestamp more than 300 s in the future, accepts one exactly 300 s ahead")
  @Test
  void rejectsFutureBeyondTolerance() {
    String header = StripeSigner.header(SECRET, BODY, SIGNED_AT);

    assertThat(verify(header, List.of(SECRET), SIGNED_AT - 300).valid()).isTrue();
    VerificationResult result = verify(header, List.of(SECRET), SIGNED_AT - 301);
    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).contains("in the future");
  }

  @DisplayName("accepts when only the second of several v1 signatures matches, ignoring v0")
  @Test
  void anyV1MayMatch() {
    String header = "t=" + SIGNED_AT + ",v1=" + v1("whsec_other") + ",v1=" + v1(SECRET) + ",v0=deadbeef";

    assertThat(verify(header, List.of(SECRET), SIGNED_AT).valid()).isTrue();
  }

  @DisplayName("does not accept a v0 signature even when it carries the right MAC")
  @Test
  void ignoresV0() {
    String header = "t=" + SIGNED_AT + ",v0=" + v1(SECRET) + ",v1=" + v1("whsec_other");

    assertThat(verify(header, List.of(SECRET), SIGNED_AT).valid()).isFalse();
  }

  @DisplayName("accepts a request signed with the previous secret while it is still in the list")
  @Test
  void rotationAcceptsPreviousSecret() {
    String header = StripeSigner.header(OLD_SECRET, BODY, SIGNED_AT);

    VerificationResult result = verify(header, List.of(SECRET, OLD_SECRET), SIGNED_AT);

    assertThat(result.valid()).isTrue();
    assertThat(result.reason()).isEqualTo("matched secret 2 of 2");
  }

  @DisplayName("rejects a request signed with a secret that is in neither rotation slot")
  @Test
  void rotationRejectsUnknownSecret() {
    String header = StripeSigner.header("whsec_stranger", BODY, SIGNED_AT);

    VerificationResult result = verify(header, List.of(SECRET, OLD_SECRET), SIGNED_AT);

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).doesNotContain(SECRET, OLD_SECRET, "whsec_stranger");
  }

  @DisplayName("rejects when no secrets are configured")
  @Test
  void rejectsWithoutSecrets() {
    assertThat(verify(StripeSigner.header(SECRET, BODY, SIGNED_AT), List.of(), SIGNED_AT).valid()).isFalse();
  }

  @DisplayName("rejects a body that differs from the signed bytes")
  @Test
  void rejectsTamperedBody() {
    String header = StripeSigner.header(SECRET, BODY, SIGNED_AT);
    byte[] tampered = "{\"id\":\"evt_2\",\"object\":\"event\"}".getBytes(StandardCharsets.UTF_8);

    VerificationResult result = verifier.verify(SignatureScheme.STRIPE, Headers.of("Stripe-Signature", header),
        tampered, List.of(SECRET), SIGNED_AT);
    assertThat(result.valid()).isFalse();
  }

  @DisplayName("rejects malformed headers: empty, blank, garbage, no t, non-numeric t, signed t, duplicate t, no v1")
  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "   ", "garbage", ",,,", "v1=abc", "t=abc,v1=abc", "t=-5,v1=abc", "t=+1795866248,v1=abc",
      "t=1795866248,t=1795866248,v1=abc", "t=1795866248", "t=1795866248,v0=abc", "t=,v1=abc"})
  void rejectsMalformedHeader(String header) {
    VerificationResult result = verify(header, List.of(SECRET), SIGNED_AT);

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).isNotBlank();
  }

  @DisplayName("rejects a request without a Stripe-Signature header")
  @Test
  void rejectsMissingHeader() {
    VerificationResult result = verifier.verify(SignatureScheme.STRIPE, Headers.of(), BODY, List.of(SECRET), SIGNED_AT);

    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).contains("missing Stripe-Signature");
  }

  @DisplayName("looks the header up by name regardless of case")
  @Test
  void headerLookupIsCaseInsensitive() {
    String header = StripeSigner.header(SECRET, BODY, SIGNED_AT);

    VerificationResult result = verifier.verify(SignatureScheme.STRIPE, Headers.of("stripe-signature", header),
        BODY, List.of(SECRET), SIGNED_AT);
    assertThat(result.valid()).isTrue();
  }
}
