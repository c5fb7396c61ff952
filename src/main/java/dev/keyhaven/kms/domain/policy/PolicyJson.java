package dev.keyhaven.kms.domain.policy;

import dev.keyhaven.kms.domain.error.KmsException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for policy documents, so the domain needs no library.
 *
 * <p>Contract: {@link #parse} returns an unmodifiable tree of {@code Map<String,Object>} (a {@link
 * LinkedHashMap}, member order kept), {@code List<Object>}, {@code String}, {@link BigDecimal},
 * {@code Boolean} and {@code null}. It rejects, as {@code MalformedPolicyDocumentException}:
 * anything that is not RFC 8259 JSON (no comments, no trailing commas, no single quotes, no BOM, no
 * leading zeros, no unescaped control characters), duplicate member names (no "last one wins"
 * ambiguity, security reference §5 P11), data after the root value, nesting deeper than {@value
 * #MAX_DEPTH}, and documents larger than {@value #MAX_BYTES} bytes of UTF-8 (the AWS KMS key policy
 * limit, PutKeyPolicy "Policy" member). Thread-safe: each call uses its own state.
 */
public final class PolicyJson {
  /** AWS KMS PutKeyPolicy: "The key policy size quota is 32 kilobytes (32768 bytes)." */
  public static final int MAX_BYTES = 32 * 1024;

  /** Arrays and objects nested deeper than this are rejected (policies need about 5). */
  public static final int MAX_DEPTH = 32;

  private final String text;
  private int pos;

  private PolicyJson(String text) {
    this.text = text;
  }

  /** Parses {@code json}; any defect is a {@code MalformedPolicyDocumentException}. */
  public static Object parse(String json) {
    if (json == null || json.isEmpty()) {
      throw Malformed.because("The policy document is empty.");
    }
    if (json.length() > MAX_BYTES || json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw Malformed.because("The policy document exceeds the maximum size of 32768 bytes.");
    }
    PolicyJson p = new PolicyJson(json);
    p.skipWhitespace();
    Object root = p.value(0);
    p.skipWhitespace();
    if (p.pos != json.length()) {
      throw p.error("unexpected data after the JSON value");
    }
    return root;
  }

  private Object value(int depth) {
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character");
    }
  }

  private Map<String, Object> object(int depth) {
    checkDepth(depth);
    pos++; // '{'
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(members);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      String name = string();
      if (members.containsKey(name)) {
        throw Malformed.because("The policy document has a duplicate member name: " + name);
      }
      skipWhitespace();
      expect(':');
      skipWhitespace();
      members.put(name, value(depth));
      skipWhitespace();
      char c = next();
      if (c == '}') {
        return Collections.unmodifiableMap(members);
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    checkDepth(depth);
    pos++; // '['
    List<Object> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(items);
    }
    while (true) {
      skipWhitespace();
      items.add(value(depth));
      skipWhitespace();
      char c = next();
      if (c == ']') {
        return Collections.unmodifiableList(items);
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw error("unescaped control character in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(hex4());
        default -> throw error("invalid escape sequence");
      }
    }
  }

  private char hex4() {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = hexDigit(text.charAt(pos++));
      if (d < 0) {
        throw error("invalid \\u escape");
      }
      v = v * 16 + d;
    }
    return (char) v;
  }

  private BigDecimal number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (!digits()) {
      throw error("invalid number");
    }
    if (peek() == '.') {
      pos++;
      if (!digits()) {
        throw error("invalid number");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!digits()) {
        throw error("invalid number");
      }
    }
    try {
      return new BigDecimal(text.substring(start, pos));
    } catch (NumberFormatException e) { // exponent beyond int range
      throw error("number out of range");
    }
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos > start;
  }

  private Object literal(String word, Object result) {
    if (!text.startsWith(word, pos)) {
      throw error("invalid literal");
    }
    pos += word.length();
    return result;
  }

  private void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw Malformed.because(
          "The policy document is nested deeper than " + MAX_DEPTH + " levels.");
    }
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private char next() {
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    return text.charAt(pos++);
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private KmsException error(String what) {
    return Malformed.because(
        "The policy document is not valid JSON: " + what + " at offset " + pos + ".");
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
