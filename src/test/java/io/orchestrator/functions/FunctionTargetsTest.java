package io.orchestrator.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FunctionTargetsTest {

  private final FunctionTargets targets = new FunctionTargets(UrlPolicy.fromAllowList("api.example.com"));

  @Test
  @DisplayName("a URL is parsed once into what the client needs: host, port (the scheme's default), TLS, path and query")
  void parsesOnce() {
    FunctionTargets.Target target = targets.of("https://api.example.com/v1/charge?mode=test");

    assertThat(target).isEqualTo(new FunctionTargets.Target(null, "api.example.com", 443, true, "/v1/charge?mode=test"));
    assertThat(targets.of("https://api.example.com/v1/charge?mode=test")).isSameAs(target);
    assertThat(targets.of("http://api.example.com:8080")).isEqualTo(
      new FunctionTargets.Target(null, "api.example.com", 8080, false, "/"));
  }

  @Test
  @DisplayName("the URL policy's refusal is part of the target, for hosts outside the allow list and metadata endpoints")
  void keepsThePolicysRefusal() {
    assertThat(targets.of("https://other.example.com/x").problem()).contains("is not in the hosts allowed by");
    assertThat(targets.of("http://169.254.169.254/latest/meta-data").problem()).contains("must not point at");
    assertThat(targets.of("http://user:pw@api.example.com/").problem()).contains("credentials");
  }
}
