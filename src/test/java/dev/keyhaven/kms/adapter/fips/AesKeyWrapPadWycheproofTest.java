package dev.keyhaven.kms.adapter.fips;

import static dev.keyhaven.kms.adapter.fips.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the Wycheproof AES-KWP vectors ({@code wycheproof/aes_kwp_test.json}, schema {@code
 * keywrap_test_schema_v1.json}; C2SP/wycheproof {@code testvectors_v1}, commit pinned in {@code
 * src/test/resources/testvectors/README.md}) through the production {@link AesKeyWrapPad}, for
 * AES-128, -192 and -256 key-encryption keys, in BC-FIPS approved-only mode.
 *
 * <p>Proves: {@link AesKeyWrapPad#wrap} reproduces the ciphertext of every valid vector (including
 * 1–15-byte keys and the 384-byte round-counter overflow case) and {@link AesKeyWrapPad#unwrap}
 * returns its message; {@link AesKeyWrapPad#unwrap} rejects every invalid vector (modified IV,
 * modified or over-long padding, wrong encoded length, wrapped empty or 8-byte keys) with the one
 * InvalidCiphertextException. All three key sizes work in approved-only mode.
 *
 * <p>{@code acceptable}: none exist in the pinned file (asserted). Decision: an acceptable vector
 * must behave like {@code valid} (wrap reproduces {@code ct}, unwrap returns {@code msg}):
 * Wycheproof uses the category for legal but weak inputs, and {@link AesKeyWrapPad} deliberately
 * has no key-material policy of its own (sizes are validated where key material is imported). A
 * vector update that adds some changes the asserted counts and so is reviewed.
 */
class AesKeyWrapPadWycheproofTest {
  private static final String FILE = "wycheproof/aes_kwp_test.json";

  @BeforeAll
  static void providerIsInApprovedOnlyMode() {
    assertTrue(Fips.isApprovedOnlyMode(), "surefire must start the JVM in approved-only mode");
  }

  private static void forEachCase(BiConsumer<Integer, JsonNode> action) {
    JsonNode file = TestVectors.json(FILE);
    assertEquals("keywrap_test_schema_v1.json", file.get("schema").asText());
    for (JsonNode group : file.get("testGroups")) {
      int keySize = group.get("keySize").asInt();
      for (JsonNode test : group.get("tests")) {
        assertEquals(keySize, hex(test, "key").length * 8, "tcId " + test.get("tcId"));
        action.accept(keySize, test);
      }
    }
  }

  private static String label(JsonNode test) {
    return "tcId " + test.get("tcId").asInt() + " (" + test.get("comment").asText() + ")";
  }

  private static boolean wrapsLikeValid(JsonNode test) {
    String result = test.get("result").asText();
    return result.equals("valid") || result.equals("acceptable");
  }

  @Test
  void wrap_validVectors_reproducesWycheproofCiphertext() {
    List<String> mismatches = new ArrayList<>();
    Map<Integer, Integer> checked = new TreeMap<>();
    forEachCase(
        (keySize, test) -> {
          if (!wrapsLikeValid(test)) {
            return;
          }
          checked.merge(keySize, 1, Integer::sum);
          try {
            byte[] wrapped = AesKeyWrapPad.wrap(hex(test, "key"), hex(test, "msg"));
            if (!Arrays.equals(hex(test, "ct"), wrapped)) {
              mismatches.add(label(test) + ": wrap returned " + hex(wrapped));
            }
          } catch (RuntimeException e) {
            mismatches.add(label(test) + ": wrap threw " + e);
          }
        });
    assertEquals(List.of(), mismatches);
    assertEquals(Map.of(128, 25, 192, 27, 256, 25), checked, "valid cases wrapped per key size");
  }

  @Test
  void unwrap_validVectors_returnsWrappedKey() {
    List<String> mismatches = new ArrayList<>();
    Map<Integer, Integer> checked = new TreeMap<>();
    forEachCase(
        (keySize, test) -> {
          if (!wrapsLikeValid(test)) {
            return;
          }
          checked.merge(keySize, 1, Integer::sum);
          try {
            byte[] unwrapped = AesKeyWrapPad.unwrap(hex(test, "key"), hex(test, "ct"));
            if (!Arrays.equals(hex(test, "msg"), unwrapped)) {
              mismatches.add(label(test) + ": unwrap returned " + hex(unwrapped));
            }
          } catch (RuntimeException e) {
            mismatches.add(label(test) + ": unwrap threw " + e);
          }
        });
    assertEquals(List.of(), mismatches);
    assertEquals(Map.of(128, 25, 192, 27, 256, 25), checked, "valid cases unwrapped per key size");
  }

  @Test
  void unwrap_invalidVectors_throwsInvalidCiphertext() {
    List<String> mismatches = new ArrayList<>();
    Map<Integer, Integer> checked = new TreeMap<>();
    forEachCase(
        (keySize, test) -> {
          String result = test.get("result").asText();
          if (wrapsLikeValid(test)) {
            return;
          }
          if (!result.equals("invalid")) {
            mismatches.add(label(test) + ": unknown result " + result);
            return;
          }
          checked.merge(keySize, 1, Integer::sum);
          String problem =
              TestVectors.rejectionProblem(
                  () -> AesKeyWrapPad.unwrap(hex(test, "key"), hex(test, "ct")));
          if (problem != null) {
            mismatches.add(label(test) + ": unwrap " + problem);
          }
        });
    assertEquals(List.of(), mismatches);
    assertEquals(Map.of(128, 50, 192, 58, 256, 69), checked, "invalid cases rejected per key size");
  }

  @Test
  void vectorFile_acceptableCases_noneAtPinnedCommit() {
    int[] acceptable = {0};
    int[] total = {0};
    forEachCase(
        (keySize, test) -> {
          total[0]++;
          if (test.get("result").asText().equals("acceptable")) {
            acceptable[0]++;
          }
        });
    assertEquals(0, acceptable[0], "acceptable cases (handled as valid, see class comment)");
    assertEquals(254, total[0], "all cases: 77 valid + 177 invalid + 0 acceptable");
  }
}
