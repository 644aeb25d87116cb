package io.orchestrator.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HmacSha256Test {

  @DisplayName("matches RFC 4231 test case 2, whether the data comes in one part or several")
  @Test
  void rfc4231() {
    byte[] key = "Jefe".getBytes(StandardCharsets.US_ASCII);
    String expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    assertThat(HmacSha256.hex(HmacSha256.mac(key, "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo(expected);
    assertThat(HmacSha256.hex(HmacSha256.mac(key, "what do ya ".getBytes(StandardCharsets.US_ASCII),
        "want for nothing?".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(expected);
  }

  @DisplayName("constant-time comparison is exact: same text equal, case or length differences not")
  @Test
  void constantTimeEquals() {
    assertThat(HmacSha256.constantTimeEquals("abcdef", "abcdef")).isTrue();
    assertThat(HmacSha256.constantTimeEquals("abcdef", "ABCDEF")).isFalse();
    assertThat(HmacSha256.constantTimeEquals("abcdef", "abcde")).isFalse();
  }
}
