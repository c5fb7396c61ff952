package dev.keyhaven.kms.domain.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

// AWS KMS Developer Guide, encryption context: exact case-sensitive match; only order may differ.
class EncryptionContextTest {
  @Test
  void canonicalBytes_pairOrder_doesNotMatter() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    assertArrayEquals(
        EncryptionContext.of(ab).canonicalBytes(), EncryptionContext.of(ba).canonicalBytes());
  }

  @Test
  void canonicalBytes_caseOfKeyOrValue_matters() {
    byte[] lower = EncryptionContext.of(Map.of("purpose", "test")).canonicalBytes();
    assertFalse(
        Arrays.equals(lower, EncryptionContext.of(Map.of("Purpose", "test")).canonicalBytes()));
    assertFalse(
        Arrays.equals(lower, EncryptionContext.of(Map.of("purpose", "Test")).canonicalBytes()));
  }

  @Test
  void canonicalBytes_boundariesBetweenKeyAndValue_areUnambiguous() {
    assertFalse(
        Arrays.equals(
            EncryptionContext.of(Map.of("ab", "c")).canonicalBytes(),
            EncryptionContext.of(Map.of("a", "bc")).canonicalBytes()));
  }

  @Test
  void canonicalBytes_layout_isCountThenLengthPrefixedPairsSortedByUtf8() {
    byte[] expected = {0, 2, 0, 1, 'A', 0, 1, 'x', 0, 1, 'a', 0, 1, 'y'};
    assertArrayEquals(expected, EncryptionContext.of(Map.of("a", "y", "A", "x")).canonicalBytes());
  }

  @Test
  void of_emptyOrNull_isEmpty() {
    assertTrue(EncryptionContext.of(null).isEmpty());
    assertArrayEquals(new byte[] {0, 0}, EncryptionContext.of(Map.of()).canonicalBytes());
  }
}
