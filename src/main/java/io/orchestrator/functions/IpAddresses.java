package io.orchestrator.functions;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP literal parsing and the address ranges a function URL may never point at. Parses text only: never resolves
 * a name, so validation does no I/O and cannot be steered by DNS.
 */
final class IpAddresses {

  /** A label inet_aton(3) would read as a number: decimal, 0x-hex or 0-octal. */
  private static final Pattern NUMERIC_LABEL = Pattern.compile("0x[0-9a-f]*|[0-9]+");
  private static final int MAX_IPV4_PARTS = 4;
  private static final BigInteger BYTE_RANGE = BigInteger.valueOf(256);
  private static final byte[] ALIBABA_METADATA = {100, 100, 100, (byte) 200};
  private static final byte[] AZURE_WIRESERVER = {(byte) 168, 63, (byte) 129, 16};
  private static final byte[] AWS_METADATA_V6 = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
    0x54};
  private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  private static final int EMBEDDED_V4_OFFSET = 12;

  private IpAddresses() {
  }

  /** True when every dot-separated label is numeric, so resolvers would treat the host as an IPv4 address. */
  static boolean looksLikeIpv4(String host) {
    return Arrays.stream(host.split("\\.", -1)).allMatch(label -> NUMERIC_LABEL.matcher(label).matches());
  }

  /**
   * The 4 bytes of an IPv4 address in any inet_aton(3) form ({@code 169.254.169.254}, {@code 2852039166},
   * {@code 0xA9FEA9FE}, {@code 0251.0376.0251.0376}, {@code 169.254.43518}), or null if it is none. Lower case.
   */
  static byte[] ipv4(String host) {
    String[] labels = host.split("\\.", -1);
    if (labels.length > MAX_IPV4_PARTS || !looksLikeIpv4(host)) {
      return null;
    }
    BigInteger value = BigInteger.ZERO;
    for (int i = 0; i < labels.length; i++) {
      BigInteger part = number(labels[i]);
      boolean last = i == labels.length - 1;
      BigInteger limit = last ? BYTE_RANGE.pow(MAX_IPV4_PARTS - i) : BYTE_RANGE;
      if (part == null || part.compareTo(limit) >= 0) {
        return null;
      }
      value = last ? value.multiply(limit).add(part) : value.multiply(BYTE_RANGE).add(part);
    }
    byte[] address = new byte[MAX_IPV4_PARTS];
    byte[] raw = value.toByteArray();
    int copy = Math.min(raw.length, MAX_IPV4_PARTS);
    System.arraycopy(raw, raw.length - copy, address, MAX_IPV4_PARTS - copy, copy);
    return address;
  }

  private static BigInteger number(String label) {
    try {
      if (label.startsWith("0x")) {
        return label.length() == 2 ? BigInteger.ZERO : new BigInteger(label.substring(2), 16);
      }
      return new BigInteger(label, label.length() > 1 && label.startsWith("0") ? 8 : 10);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The bytes of an IPv6 literal (without brackets): 16, or 4 for an IPv4-mapped one; null if invalid. */
  static byte[] ipv6(String literal) {
    if (literal.indexOf('%') >= 0) {
      // zone ids only make sense for link-local targets, and resolving one consults the network interfaces
      return null;
    }
    try {
      // brackets make the JDK parse a literal and never fall back to a name lookup
      return InetAddress.getByName("[" + literal + "]").getAddress();
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }

  /** Why a function may not call {@code address}, if it may not. */
  static Optional<String> deniedReason(byte[] address) {
    return address.length == MAX_IPV4_PARTS ? deniedV4(address) : deniedV6(address);
  }

  private static Optional<String> deniedV4(byte[] a) {
    if (a[0] == 0) {
      return Optional.of("an unspecified address");
    }
    if ((a[0] & 0xff) == 169 && (a[1] & 0xff) == 254) {
      return Optional.of("a link-local address");
    }
    if (Arrays.equals(a, ALIBABA_METADATA) || Arrays.equals(a, AZURE_WIRESERVER)) {
      return Optional.of("a cloud metadata address");
    }
    return Optional.empty();
  }

  private static Optional<String> deniedV6(byte[] a) {
    if ((a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0x80) {
      return Optional.of("a link-local address");
    }
    if (Arrays.equals(a, AWS_METADATA_V6)) {
      return Optional.of("a cloud metadata address");
    }
    byte[] prefix = Arrays.copyOf(a, EMBEDDED_V4_OFFSET);
    boolean compatible = Arrays.equals(prefix, new byte[EMBEDDED_V4_OFFSET]);
    if (compatible && isLoopbackV6(a)) {
      return Optional.empty();
    }
    // ::a.b.c.d and the NAT64 prefix 64:ff9b::/96 reach the embedded IPv4 address
    if (compatible || Arrays.equals(prefix, NAT64_PREFIX)) {
      return deniedV4(Arrays.copyOfRange(a, EMBEDDED_V4_OFFSET, a.length));
    }
    return Optional.empty();
  }

  private static boolean isLoopbackV6(byte[] a) {
    return a[15] == 1 && a[12] == 0 && a[13] == 0 && a[14] == 0;
  }

  /** Conventional text of an address, as the JDK writes it (dotted quad for IPv4); no lookup. */
  static String format(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      return Arrays.toString(address);
    }
  }

  /** True when the first {@code prefixBits} bits of both addresses (of the same family) agree. */
  static boolean samePrefix(byte[] a, byte[] b, int prefixBits) {
    if (a.length != b.length) {
      return false;
    }
    int fullBytes = prefixBits / Byte.SIZE;
    if (!Arrays.equals(a, 0, fullBytes, b, 0, fullBytes)) {
      return false;
    }
    int rest = prefixBits % Byte.SIZE;
    int mask = (0xff << (Byte.SIZE - rest)) & 0xff;
    return rest == 0 || (a[fullBytes] & mask) == (b[fullBytes] & mask);
  }
}
