package io.orchestrator.functions;

import java.util.Locale;

/**
 * A URL host in canonical form: lower case, without IPv6 brackets or the root's trailing dot, and with the address
 * bytes when it is an IP literal in any notation, so {@code METADATA.google.internal.} and {@code 0xA9FEA9FE} are
 * recognised for what they are.
 *
 * @param name    canonical host text
 * @param address 4 or 16 bytes for an IP literal, null for a name
 */
record Host(String name, byte[] address) {

  /** The canonical host, or null when the text is not a usable host (bad IP literal, IPv6 zone id, empty). */
  static Host parse(String raw) {
    String name = raw.toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    } else if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.isEmpty()) {
      return null;
    }
    if (name.indexOf(':') >= 0) {
      byte[] address = IpAddresses.ipv6(name);
      return address == null ? null : new Host(name, address);
    }
    if (IpAddresses.looksLikeIpv4(name)) {
      // resolvers accept 2852039166 or 0xA9FEA9FE as addresses, so such a host is an address or nothing
      byte[] address = IpAddresses.ipv4(name);
      return address == null ? null : new Host(name, address);
    }
    return new Host(name, null);
  }

  boolean isAddress() {
    return address != null;
  }
}
