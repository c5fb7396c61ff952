package dev.keyhaven.kms.domain.policy;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 address range in CIDR notation, or a single address, for the {@code IpAddress}
 * and {@code NotIpAddress} condition operators (IAM User Guide, "IP address condition operators":
 * "the value must be in the standard CIDR format (for example, 203.0.113.0/24 or
 * 2001:DB8:1234:5678::/64)").
 *
 * <p>Parsed by hand (no {@code InetAddress}, which may resolve host names). IPv4 parts are decimal
 * without leading zeros; IPv6 accepts {@code ::} compression and a trailing dotted IPv4 part. An
 * IPv4 address never matches an IPv6 range and vice versa. Host bits beyond the prefix are ignored.
 * Immutable.
 */
final class IpCidr {
  private final byte[] network;
  private final int prefix;

  private IpCidr(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /** Parses {@code a.b.c.d[/n]} or an IPv6 address with optional {@code /n}; null if invalid. */
  static IpCidr parse(String text) {
    int slash = text.indexOf('/');
    String addr = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = address(addr);
    if (bytes == null) {
      return null;
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String len = text.substring(slash + 1);
      if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) {
        return null;
      }
      prefix = Integer.parseInt(len);
      if (prefix > max || (len.length() > 1 && len.charAt(0) == '0')) {
        return null;
      }
    }
    return new IpCidr(bytes, prefix);
  }

  /** The 4 or 16 bytes of a literal address, or null when {@code text} is not one. */
  static byte[] address(String text) {
    return text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
  }

  boolean contains(byte[] address) {
    if (address == null || address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (address[full] & mask) == (network[full] & mask);
  }

  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty()
          || p.length() > 3
          || (p.length() > 1 && p.charAt(0) == '0')
          || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] ipv6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] head = gap < 0 ? groups(text) : groups(text.substring(0, gap));
    int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2));
    if (head == null || tail == null) {
      return null;
    }
    int count = head.length + tail.length;
    if ((gap < 0 && count != 8) || (gap >= 0 && count > 7)) {
      return null;
    }
    int[] all = new int[8];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (all[i] >> 8);
      out[2 * i + 1] = (byte) all[i];
    }
    return out;
  }

  /** Colon-separated 16-bit groups; the last may be dotted IPv4 (two groups). Null if invalid. */
  private static int[] groups(String text) {
    if (text.isEmpty()) {
      return new int[0];
    }
    String[] parts = text.split(":", -1);
    int[] out = new int[parts.length + 1];
    int n = 0;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && p.indexOf('.') >= 0) {
        byte[] v4 = ipv4(p);
        if (v4 == null) {
          return null;
        }
        out[n++] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
        out[n++] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      int v = 0;
      for (char c : p.toCharArray()) {
        int d = hexDigit(c);
        if (d < 0) {
          return null;
        }
        v = v * 16 + d;
      }
      out[n++] = v;
    }
    return Arrays.copyOf(out, n);
  }

  /** ASCII hex digit value, or -1 ({@link Character#digit} would also accept non-ASCII digits). */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }
}
