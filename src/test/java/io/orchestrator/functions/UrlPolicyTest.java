package io.orchestrator.functions;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("UrlPolicy")
class UrlPolicyTest {

  private static final UrlPolicy DEFAULTS = UrlPolicy.defaults();
  private static final UrlPolicy LISTED = UrlPolicy.fromAllowList(
    " *.internal.example.com, api.example.com ,10.0.0.5,, 192.168.0.0/16, fd00::/8, [2001:db8::7]");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://api.example.com/fn", "http://localhost:8080/run", "http://10.0.0.5/",
    "http://127.0.0.1:9000", "http://[::1]:8080/", "http://169.255.0.1/", "http://169.253.255.255/",
    "HTTPS://Example.COM./x", "http://[2001:db8::1]/", "http://100.100.100.201/", "http://metadata.example.com/",
    "http://1.2.3.4/", "http://[::ffff:10.0.0.1]/"})
  @DisplayName("by default any host is allowed, private and loopback ones included")
  void defaultAllows(String url) {
    assertThat(DEFAULTS.problem(URI.create(url))).isEmpty();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
    "http://169.254.169.254/latest/meta-data  | a link-local address",
    "http://169.254.0.1/                       | a link-local address",
    "http://2852039166/                        | host '2852039166' (169.254.169.254): it is a link-local address",
    "http://0xA9FEA9FE/                        | host '0xa9fea9fe' (169.254.169.254): it is a link-local address",
    "http://[fe80::1]/                         | host 'fe80::1': it is a link-local address",
    "http://[FE80::abcd:1]:8080/               | a link-local address",
    "http://[febf::1]/                         | a link-local address",
    "http://[::ffff:169.254.169.254]/          | (169.254.169.254): it is a link-local address",
    "http://[::ffff:a9fe:a9fe]/                | a link-local address",
    "http://[::a9fe:a9fe]/                     | a link-local address",
    "http://[64:ff9b::a9fe:a9fe]/              | a link-local address",
    "http://[fd00:ec2::254]/                   | a cloud metadata address",
    "http://100.100.100.200/                   | a cloud metadata address",
    "http://168.63.129.16/                     | a cloud metadata address",
    "http://0.0.0.0:8080/                      | an unspecified address",
    "http://0/                                 | an unspecified address",
    "http://[::]/                              | an unspecified address",
    "http://metadata.google.internal/computeMetadata/v1/ | a cloud metadata endpoint",
    "http://METADATA.Google.Internal./         | host 'metadata.google.internal': it is a cloud metadata endpoint",
    "http://metadata/                          | a cloud metadata endpoint",
    "http://metadata.azure.com/                | a cloud metadata endpoint",
    "http://instance-data/                     | a cloud metadata endpoint"})
  @DisplayName("link-local, metadata and unspecified addresses are refused in every notation")
  void defaultRefuses(String url, String reason) {
    assertThat(DEFAULTS.problem(URI.create(url))).hasValueSatisfying(message -> {
      assertThat(message).startsWith("must not point at host '");
      assertThat(message).contains(reason);
    });
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
    "ftp://example.com/file          | must be an absolute http or https URL",
    "file:///etc/passwd              | must be an absolute http or https URL",
    "mailto:ops@example.com          | must be an absolute http or https URL",
    "/relative/path                  | must be an absolute http or https URL",
    "http:///no-host                 | must include a valid host name",
    "http://:8080/                   | must include a valid host name",
    "http://169.254.169.254./        | must include a valid host name",
    "http://1.2.3.4.5/               | must include a valid host name",
    "http://999.1.1.1/               | must include a valid host name",
    "http://0xa9.0xfe.0xa9.0xfe/     | must include a valid host name",
    "http://4294967296/              | must include a valid host name",
    "http://[fe80::1%25eth0]/        | must include a valid host name",
    "http://user:secret@example.com/ | must not contain credentials (user:password@); send them in headers"})
  @DisplayName("only absolute http(s) URLs with a real host and no credentials pass")
  void shape(String url, String message) {
    assertThat(DEFAULTS.problem(URI.create(url))).contains(message);
  }

  @Test
  @DisplayName("a null URL is a problem, not an exception")
  void nullUrl() {
    assertThat(DEFAULTS.problem(null)).contains("must be an absolute http or https URL");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://a.internal.example.com/", "https://A.B.Internal.Example.COM./x",
    "https://api.example.com:8443/", "http://10.0.0.5/", "http://167772165/", "http://192.168.3.4/",
    "http://[fd12:3456::1]/", "http://[2001:db8:0:0::7]/", "http://[::ffff:192.168.1.1]/"})
  @DisplayName("with an allow list, hosts matching a name, wildcard, address or range pass")
  void allowListAdmits(String url) {
    assertThat(LISTED.problem(URI.create(url))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://internal.example.com/", "https://evilinternal.example.com/",
    "https://api.example.com.evil.com/", "https://sub.api.example.com/", "http://10.0.0.6/", "http://192.169.0.1/",
    "https://example.com/", "http://localhost/", "http://[fe00::1]/", "http://[2001:db8::8]/"})
  @DisplayName("with an allow list, every other host is refused")
  void allowListRefuses(String url) {
    assertThat(LISTED.problem(URI.create(url))).hasValueSatisfying(message ->
      assertThat(message).endsWith("is not in the hosts allowed by ORCH_FUNCTION_URL_ALLOW"));
  }

  @ParameterizedTest(name = "allow {0}")
  @ValueSource(strings = {"*", "169.254.0.0/16", "169.254.169.254", "metadata.google.internal",
    "*.google.internal", "fe80::/10", "0.0.0.0/0"})
  @DisplayName("an allow list never re-admits metadata and link-local endpoints")
  void allowListKeepsRefusals(String allow) {
    UrlPolicy policy = UrlPolicy.fromAllowList(allow);
    assertThat(policy.problem(URI.create("http://169.254.169.254/"))).isPresent();
    assertThat(policy.problem(URI.create("http://metadata.google.internal/"))).isPresent();
    assertThat(policy.problem(URI.create("http://[fe80::1]/"))).isPresent();
  }

  @Test
  @DisplayName("the allow-list value '*' admits any other host")
  void starAdmitsAll() {
    assertThat(UrlPolicy.fromAllowList("*").problem(URI.create("https://anything.example.org/"))).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {"  ", " , ,"})
  @DisplayName("an unset or blank allow list means the default policy")
  void blankAllowList(String allow) {
    UrlPolicy policy = UrlPolicy.fromAllowList(allow);
    assertThat(policy.restricted()).isFalse();
    assertThat(policy.problem(URI.create("https://example.com/"))).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"foo*", "*foo.com", "a.*.com", "*.", "10.0.0.0/33", "::1/129", "10.0.0.0/x",
    "example.com/8", "a b", "1.2.3.4.5", "[::1", "exa$mple.com"})
  @DisplayName("a malformed allow-list pattern fails at start-up, naming the pattern")
  void malformedPattern(String pattern) {
    assertThatThrownBy(() -> UrlPolicy.fromAllowList("api.example.com," + pattern))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining(pattern.trim())
      .hasMessageContaining("ORCH_FUNCTION_URL_ALLOW");
  }
}
