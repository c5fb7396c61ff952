package dev.keyhaven.kms.adapter.identity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The canonical request of AWS Signature Version 4 (AWS General Reference, "Create a signed AWS API
 * request", step 1 "Create a canonical request"):
 *
 * <pre>
 * HTTPMethod \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 * </pre>
 *
 * <p>The path arrives as sent on the wire (already percent-encoded once by the client), so for a
 * service other than S3 its dot segments and empty segments are removed and each segment is
 * URI-encoded once more: the "encoded twice" of the reference. Query parameters are decoded, then
 * encoded with the SigV4 rules and sorted by name, then value. Header values are trimmed and runs
 * of spaces or tabs collapse to one space.
 */
final class SigV4Canonical {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private SigV4Canonical() {}

  /**
   * The canonical request, or empty when a signed header is absent from the request.
   *
   * @param signedHeaders sorted, lower-case names
   */
  static Optional<String> request(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, String> headers,
      List<String> signedHeaders,
      String payloadHash) {
    StringBuilder out = new StringBuilder(256);
    out.append(method).append('\n');
    out.append(uri(rawPath)).append('\n');
    out.append(query(rawQuery)).append('\n');
    for (String name : signedHeaders) {
      String value = headers.get(name);
      if (value == null) {
        return Optional.empty();
      }
      out.append(name).append(':').append(headerValue(value)).append('\n');
    }
    out.append('\n').append(String.join(";", signedHeaders)).append('\n');
    out.append(payloadHash);
    return Optional.of(out.toString());
  }

  /** Normalized path (RFC 3986 dot segments, no empty segments), each segment encoded once. */
  static String uri(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
      return "/"; // every AWS JSON protocol call, KMS included, posts to "/"
    }
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : rawPath.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    StringBuilder out = new StringBuilder(rawPath.length() + 8);
    for (String segment : segments) {
      out.append('/').append(encode(segment));
    }
    if (segments.isEmpty() || rawPath.endsWith("/")) {
      out.append('/');
    }
    return out.toString();
  }

  /** Parameters decoded, re-encoded, sorted by encoded name then value; {@code name=} if bare. */
  static String query(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> params = new ArrayList<>();
    for (String param : rawQuery.split("&")) {
      if (param.isEmpty()) {
        continue;
      }
      int eq = param.indexOf('=');
      String name = eq < 0 ? param : param.substring(0, eq);
      String value = eq < 0 ? "" : param.substring(eq + 1);
      params.add(new String[] {encode(decode(name)), encode(decode(value))});
    }
    params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder out = new StringBuilder(rawQuery.length() + 16);
    for (String[] p : params) {
      if (!out.isEmpty()) {
        out.append('&');
      }
      out.append(p[0]).append('=').append(p[1]);
    }
    return out.toString();
  }

  static String headerValue(String value) {
    if (isTrimmed(value)) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    boolean pendingSpace = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t') {
        pendingSpace = !out.isEmpty();
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /** True when no edge space or tab and no run other than a single space is in {@code value}. */
  private static boolean isTrimmed(String value) {
    int last = value.length() - 1;
    for (int i = 0; i <= last; i++) {
      char c = value.charAt(i);
      if (c == '\t'
          || (c == ' '
              && (i == 0
                  || i == last
                  || value.charAt(i + 1) == ' '
                  || value.charAt(i + 1) == '\t'))) {
        return false;
      }
    }
    return true;
  }

  /** SigV4 URI encoding: UTF-8, unreserved {@code A-Za-z0-9-_.~} kept, all else {@code %XX}. */
  static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** Percent-decoding as UTF-8; a {@code %} not followed by two hex digits stays literal. */
  static String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int hi = i + 2 < bytes.length && bytes[i] == '%' ? Character.digit(bytes[i + 1], 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(bytes[i + 2], 16);
      if (lo >= 0) {
        out.write((hi << 4) | lo);
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
