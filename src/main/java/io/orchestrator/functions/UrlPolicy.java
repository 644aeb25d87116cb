package io.orchestrator.functions;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which URLs a function may call (DESIGN.md §5). By default any http(s) host except link-local and cloud metadata
 * endpoints, which would hand a workspace the instance's credentials. With an allow list (ORCH_FUNCTION_URL_ALLOW,
 * comma-separated patterns, see {@link HostPattern}) only matching hosts pass, and the metadata endpoints stay
 * refused even if a pattern covers them. Checks the URL text only, without DNS: a name that resolves to a refused
 * address must be caught when the call is made.
 */
public final class UrlPolicy {

  public static final String ALLOW_ENV = "ORCH_FUNCTION_URL_ALLOW";

  private static final Set<String> METADATA_HOSTS = Set.of("metadata", "metadata.google.internal", "metadata.goog",
    "metadata.azure.com", "instance-data", "instance-data.ec2.internal", "metadata.tencentyun.com");

  private final List<HostPattern> allowed;
  private final String allowText;

  private UrlPolicy(List<HostPattern> allowed, String allowText) {
    this.allowed = List.copyOf(allowed);
    this.allowText = allowText;
  }

  /** Any host except link-local and cloud metadata ones. */
  public static UrlPolicy defaults() {
    return new UrlPolicy(List.of(), "");
  }

  /**
   * The policy for an ORCH_FUNCTION_URL_ALLOW value; null or blank means {@link #defaults()}.
   *
   * @throws IllegalArgumentException naming the first malformed pattern
   */
  public static UrlPolicy fromAllowList(String allow) {
    if (allow == null || allow.isBlank()) {
      return defaults();
    }
    List<HostPattern> patterns = new ArrayList<>();
    Arrays.stream(allow.split(",")).filter(p -> !p.isBlank()).forEach(p -> patterns.add(HostPattern.parse(p)));
    return new UrlPolicy(patterns, allow.trim());
  }

  /** True when an allow list restricts hosts beyond the default refusals. */
  public boolean restricted() {
    return !allowed.isEmpty();
  }

  /** Why a function may not call {@code url}, phrased to follow a field name; empty when it may. */
  public Optional<String> problem(URI url) {
    if (url == null || !url.isAbsolute() || !isHttp(url.getScheme())) {
      return Optional.of("must be an absolute http or https URL");
    }
    if (url.getRawUserInfo() != null) {
      // credentials in a URL end up in logs; headers are kept secret
      return Optional.of("must not contain credentials (user:password@); send them in headers");
    }
    String raw = url.getHost();
    Host host = raw == null ? null : Host.parse(raw);
    if (host == null) {
      return Optional.of("must include a valid host name");
    }
    return hostProblem(host);
  }

  private Optional<String> hostProblem(Host host) {
    // spell out IPv4 in other notations (2852039166) so the refusal makes sense to the reader
    String canonical = host.isAddress() && host.address().length == 4 ? IpAddresses.format(host.address())
      : host.name();
    String quoted = "host '" + host.name() + "'" + (canonical.equals(host.name()) ? "" : " (" + canonical + ")");
    Optional<String> denied = host.isAddress() ? IpAddresses.deniedReason(host.address())
      : Optional.ofNullable(METADATA_HOSTS.contains(host.name()) ? "a cloud metadata endpoint" : null);
    if (denied.isPresent()) {
      return Optional.of("must not point at " + quoted + ": it is " + denied.get());
    }
    if (restricted() && allowed.stream().noneMatch(p -> p.matches(host))) {
      // the list itself is deployment detail, not shown to API clients
      return Optional.of(quoted + " is not in the hosts allowed by " + ALLOW_ENV);
    }
    return Optional.empty();
  }

  private static boolean isHttp(String scheme) {
    String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
    return s.equals("http") || s.equals("https");
  }

  @Override
  public String toString() {
    return restricted() ? "UrlPolicy[allow=" + allowText + "]" : "UrlPolicy[default]";
  }
}
