package io.orchestrator.functions;

import java.util.regex.Pattern;

/**
 * One entry of ORCH_FUNCTION_URL_ALLOW: {@code *} (any host), {@code *.example.com} (any subdomain, not the apex),
 * an exact host name, an IP address, or a CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}). Patterns match
 * canonical hosts (see {@link Host}), so {@code 10.0.0.5} also admits {@code http://167772165/}.
 */
final class HostPattern {

  private static final Pattern NAME = Pattern.compile("^[a-z0-9_-]+(\\.[a-z0-9_-]+)*$");

  private final String exactName;
  private final String suffix;
  private final byte[] address;
  private final int prefixBits;
  private final boolean any;

  private HostPattern(String exactName, String suffix, byte[] address, int prefixBits, boolean any) {
    this.exactName = exactName;
    this.suffix = suffix;
    this.address = address;
    this.prefixBits = prefixBits;
    this.any = any;
  }

  /** Parses one pattern; a malformed one is a configuration error, thrown so start-up fails loudly. */
  static HostPattern parse(String text) {
    String pattern = text.trim();
    if (pattern.equals("*")) {
      return new HostPattern(null, null, null, 0, true);
    }
    if (pattern.startsWith("*.")) {
      Host apex = Host.parse(pattern.substring(2));
      require(apex != null && !apex.isAddress() && NAME.matcher(apex.name()).matches(), text);
      return new HostPattern(null, "." + apex.name(), null, 0, false);
    }
    require(!pattern.contains("*"), text);
    return pattern.contains("/") ? cidr(pattern, text) : exact(pattern, text);
  }

  private static HostPattern exact(String pattern, String text) {
    Host host = Host.parse(pattern);
    require(host != null, text);
    if (host.isAddress()) {
      return new HostPattern(null, null, host.address(), host.address().length * Byte.SIZE, false);
    }
    require(NAME.matcher(host.name()).matches(), text);
    return new HostPattern(host.name(), null, null, 0, false);
  }

  private static HostPattern cidr(String pattern, String text) {
    int slash = pattern.lastIndexOf('/');
    Host host = Host.parse(pattern.substring(0, slash));
    require(host != null && host.isAddress(), text);
    int bits;
    try {
      bits = Integer.parseInt(pattern.substring(slash + 1));
    } catch (NumberFormatException e) {
      bits = -1;
    }
    require(bits >= 0 && bits <= host.address().length * Byte.SIZE, text);
    return new HostPattern(null, null, host.address(), bits, false);
  }

  private static void require(boolean ok, String text) {
    if (!ok) {
      throw new IllegalArgumentException("invalid host pattern '" + text + "' in " + UrlPolicy.ALLOW_ENV
        + ": use *, *.example.com, api.example.com, 10.0.0.5 or 10.0.0.0/8");
    }
  }

  boolean matches(Host host) {
    if (any) {
      return true;
    }
    if (address != null) {
      return host.isAddress() && IpAddresses.samePrefix(address, host.address(), prefixBits);
    }
    if (host.isAddress()) {
      return false;
    }
    return suffix != null ? host.name().endsWith(suffix) : host.name().equals(exactName);
  }
}
