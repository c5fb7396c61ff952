package dev.keyhaven.kms.domain.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

// RFC 8259 strictness plus the policy limits (32 KB, depth 32, no duplicate names); security §5
// P11.
class PolicyJsonTest {
  private static final String STATEMENT =
      "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}";

  private static KmsException malformed(String json) {
    KmsException e = assertThrows(KmsException.class, () -> PolicyJson.parse(json));
    assertEquals(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.code());
    return e;
  }

  @Test
  void parse_duplicateMemberName_isMalformed() {
    KmsException e = malformed("{\"a\":1,\"b\":2,\"a\":3}");
    assertTrue(e.getMessage().contains("duplicate member name: a"), e.getMessage());
  }

  @Test
  void parse_duplicateNameInNestedObject_isMalformed() {
    malformed("{\"Statement\":[{\"x\":{\"k\":\"v\",\"k\":\"w\"}}]}");
  }

  @Test
  void parse_sameNameInSiblingObjects_isAccepted() {
    assertEquals(2, ((List<?>) PolicyJson.parse("[{\"a\":1},{\"a\":2}]")).size());
  }

  @Test
  void parse_documentOf32768Bytes_isAccepted() {
    String doc = padded(PolicyJson.MAX_BYTES);
    assertEquals(PolicyJson.MAX_BYTES, doc.length());
    assertInstanceOf(Map.class, PolicyJson.parse(doc));
  }

  @Test
  void parse_documentOver32768Bytes_isMalformed() {
    KmsException e = malformed(padded(PolicyJson.MAX_BYTES + 1));
    assertTrue(e.getMessage().contains("32768"), e.getMessage());
  }

  @Test
  void parse_multiByteCharactersOverTheByteLimit_isMalformed() {
    // 16,400 two-byte characters: under 32768 chars but over 32768 UTF-8 bytes.
    malformed("{\"Id\":\"" + "\u00e9".repeat(16_400) + "\"}");
  }

  @Test
  void parse_nesting32Deep_isAccepted() {
    assertInstanceOf(List.class, PolicyJson.parse("[".repeat(32) + "]".repeat(32)));
  }

  @Test
  void parse_nesting33Deep_isMalformed() {
    KmsException e = malformed("[".repeat(33) + "]".repeat(33));
    assertTrue(e.getMessage().contains("nested deeper than 32"), e.getMessage());
  }

  @Test
  void parse_deepObjectNesting_isMalformedWithoutStackOverflow() {
    malformed("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{} x", "{}{}", "{},", "[] ]", "{}\u0000", "\"a\" \"b\"", "1 2"})
  void parse_trailingData_isMalformed(String json) {
    malformed(json);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{",
        "{\"a\"}",
        "{\"a\":}",
        "{a:1}",
        "{'a':1}",
        "[1,]",
        "{\"a\":1,}",
        "[01]",
        "[1.]",
        "[.5]",
        "[-]",
        "[1e]",
        "[+1]",
        "[NaN]",
        "[Infinity]",
        "[tru]",
        "[nul]",
        "[\"\\x\"]",
        "[\"\\u12G4\"]",
        "[\"\\u12\"]",
        "[\"a\nb\"]",
        "[\"a\tb\"]",
        "\uFEFF{}",
        "/* c */ {}",
        "[1 // c\n]",
        "[\"unterminated]",
        "{\"a\" 1}",
        "[1e99999999999]"
      })
  void parse_invalidJson_isMalformed(String json) {
    malformed(json);
  }

  @Test
  void parseDocument_nonObjectRoot_isMalformed() {
    for (String root : List.of("[" + STATEMENT + "]", "\"x\"", "1", "true", "null")) {
      KmsException e =
          assertThrows(
              KmsException.class, () -> PolicyDocument.parse(root, PolicyDocument.Kind.KEY_POLICY));
      assertEquals(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.code(), root);
      assertTrue(e.getMessage().contains("must be a JSON object"), e.getMessage());
    }
  }

  @Test
  void parseDocument_nullText_isMalformed() {
    KmsException e =
        assertThrows(
            KmsException.class, () -> PolicyDocument.parse(null, PolicyDocument.Kind.KEY_POLICY));
    assertEquals(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.code());
  }

  @Test
  void parse_values_mapToJavaTypes() {
    Map<?, ?> m =
        (Map<?, ?>)
            PolicyJson.parse(
                "{\"s\":\"x\",\"n\":-1.50e2,\"i\":0,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,\"2\"],\"o\":{}}");
    assertEquals("x", m.get("s"));
    assertEquals(0, new BigDecimal("-150").compareTo((BigDecimal) m.get("n")));
    assertEquals(BigDecimal.ZERO, m.get("i"));
    assertEquals(Boolean.TRUE, m.get("t"));
    assertEquals(Boolean.FALSE, m.get("f"));
    assertTrue(m.containsKey("z"));
    assertNull(m.get("z"));
    assertEquals(List.of(BigDecimal.ONE, "2"), m.get("a"));
    assertEquals(Map.of(), m.get("o"));
    assertEquals(List.of("s", "n", "i", "t", "f", "z", "a", "o"), List.copyOf(m.keySet()));
  }

  @Test
  void parse_escapes_areDecoded() {
    List<?> l =
        (List<?>)
            PolicyJson.parse(
                "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u0041\\u00e9\", \"\\ud83d\\ude00\"]");
    assertEquals("\"\\/\b\f\n\r\t", l.get(0));
    assertEquals("A\u00e9", l.get(1));
    assertEquals("\ud83d\ude00", l.get(2));
  }

  @Test
  void parse_result_isUnmodifiable() {
    Map<?, ?> m = (Map<?, ?>) PolicyJson.parse("{\"a\":[1]}");
    assertThrows(UnsupportedOperationException.class, () -> m.clear());
    assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("a")).clear());
  }

  private static String padded(int length) {
    String head = "{\"Id\":\"";
    String tail = "\"}";
    return head + "x".repeat(length - head.length() - tail.length()) + tail;
  }
}
