package io.orchestrator.auth;

import io.orchestrator.common.ApiException;
import io.orchestrator.config.AppConfig;
import io.orchestrator.config.ConfigLoader;
import io.orchestrator.fixtures.Jwts;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verifier built from ORCH_JWT_PUBLIC_KEY as ConfigLoader reads it, without starting the service. */
@DisplayName("Token verification with a configured public key")
class JwtAuthFactoryTest {

  private static final String WS = "ws-a";
  private static final KeyPair RSA = Jwts.rsaKeyPair();
  private static final KeyPair OTHER_RSA = Jwts.rsaKeyPair();
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    TestApp.await(vertx.close());
  }

  private static BearerAuthenticator authenticator(String pem) {
    AppConfig.Auth auth = ConfigLoader.load(Map.of("ORCH_JWT_PUBLIC_KEY", pem,
      "ORCH_DATA_DIR", TestApp.tempDir().toString())).auth();
    return new BearerAuthenticator(JwtAuthFactory.create(vertx, auth), java.time.Clock.systemUTC());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"64-column lines", "one base64 line", "CRLF line ends", "all on one line", "escaped \\n",
    "surrounding blanks"})
  @DisplayName("an RSA public key is accepted however the PEM is wrapped (env files and secret stores mangle it)")
  void pemLayouts(String layout) {
    KeyPair keys = RSA;
    String pem = Jwts.publicKeyPem(keys.getPublic());
    String base64 = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    String variant = switch (layout) {
      case "one base64 line" -> "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----";
      case "CRLF line ends" -> pem.replace("\n", "\r\n");
      case "all on one line" -> "-----BEGIN PUBLIC KEY-----" + base64 + "-----END PUBLIC KEY-----";
      case "escaped \\n" -> pem.replace("\n", "\\n");
      case "surrounding blanks" -> "\n  " + pem + "  \n";
      default -> pem;
    };

    Principal principal = TestApp.await(authenticator(variant)
      .authorize("Bearer " + Jwts.rs256(keys.getPrivate(), Jwts.claims("u1", WS)), WS));

    assertThat(principal.subject()).isEqualTo("u1");
  }

  @Test
  @DisplayName("a P-256 key verifies ES256 tokens; a P-384 key verifies ES384 tokens")
  void ecCurves() {
    KeyPair p256 = Jwts.ecKeyPair("secp256r1");
    KeyPair p384 = Jwts.ecKeyPair("secp384r1");

    assertThat(TestApp.await(authenticator(Jwts.publicKeyPem(p256.getPublic()))
      .authorize("Bearer " + Jwts.es256(p256.getPrivate(), Jwts.claims("u256", WS)), WS)).subject())
      .isEqualTo("u256");
    assertThat(TestApp.await(authenticator(Jwts.publicKeyPem(p384.getPublic()))
      .authorize("Bearer " + Jwts.es384(p384.getPrivate(), Jwts.claims("u384", WS)), WS)).subject())
      .isEqualTo("u384");
  }

  @Test
  @DisplayName("an RS256 token is refused by a verifier holding a different RSA key, with 401")
  void wrongKey() {
    BearerAuthenticator verifier = authenticator(Jwts.publicKeyPem(RSA.getPublic()));
    String token = Jwts.rs256(OTHER_RSA.getPrivate(), Jwts.claims("u1", WS));

    assertThatThrownBy(() -> TestApp.await(verifier.authorize("Bearer " + token, WS)))
      .hasCauseInstanceOf(ApiException.class)
      .satisfies(e -> assertThat(((ApiException) e.getCause()).status()).isEqualTo(401));
  }

  @ParameterizedTest(name = "{0} = now {1} s")
  @CsvSource({"iat,+5", "nbf,+5", "exp,-5"})
  @DisplayName("time claims get 30 s of clock-skew tolerance: a token minted on a host slightly ahead is accepted")
  void clockSkew(String claim, long offset) {
    JsonObject claims = Jwts.claims("u1", WS).put(claim, Instant.now().getEpochSecond() + offset);

    assertThat(TestApp.await(rsaVerifier().authorize(bearer(claims), WS)).subject()).isEqualTo("u1");
  }

  @ParameterizedTest(name = "{0} = now {1} s")
  @CsvSource({"nbf,+600", "exp,-60", "iat,+600"})
  @DisplayName("beyond the tolerance, a not-yet-valid, expired or future-issued token is 401")
  void outsideSkew(String claim, long offset) {
    JsonObject claims = Jwts.claims("u1", WS).put(claim, Instant.now().getEpochSecond() + offset);

    assertUnauthorized(bearer(claims));
  }

  @Test
  @DisplayName("a token without exp (one that never expires) is 401")
  void withoutExp() {
    JsonObject claims = Jwts.claims("u1", WS);
    claims.remove("exp");

    assertUnauthorized(bearer(claims));
  }

  @ParameterizedTest(name = "{0} = \"soon\"")
  @ValueSource(strings = {"exp", "iat", "nbf"})
  @DisplayName("a time claim that is not a number is a failed future with 401, never a thrown exception")
  void nonNumericTimeClaim(String claim) {
    assertUnauthorized(bearer(Jwts.claims("u1", WS).put(claim, "soon")));
  }

  private static BearerAuthenticator rsaVerifier() {
    return authenticator(Jwts.publicKeyPem(RSA.getPublic()));
  }

  private static String bearer(JsonObject claims) {
    return "Bearer " + Jwts.rs256(RSA.getPrivate(), claims);
  }

  private static void assertUnauthorized(String header) {
    Future<Principal> result = rsaVerifier().authorize(header, WS);

    assertThatThrownBy(() -> TestApp.await(result)).hasCauseInstanceOf(ApiException.class)
      .satisfies(e -> assertThat(((ApiException) e.getCause()).status()).isEqualTo(401));
  }
}
