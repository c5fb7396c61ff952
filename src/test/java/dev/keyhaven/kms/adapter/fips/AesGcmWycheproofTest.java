package dev.keyhaven.kms.adapter.fips;

import static dev.keyhaven.kms.adapter.fips.TestVectors.concat;
import static dev.keyhaven.kms.adapter.fips.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the Wycheproof AES-GCM vectors ({@code wycheproof/aes_gcm_test.json}, schema {@code
 * aead_test_schema_v1.json}; C2SP/wycheproof {@code testvectors_v1}, commit pinned in {@code
 * src/test/resources/testvectors/README.md}) through the production {@link AesGcm}, AES-256 groups
 * only (the only key size Keyhaven uses for GCM).
 *
 * <p>Proves: for 96-bit IV / 128-bit tag, {@link AesGcm#open} decrypts every valid vector to its
 * message and rejects every invalid one (modified tags, counter wrap, …) with
 * InvalidCiphertextException; {@link AesGcm#sealWithIvForKnownAnswerTest} (the cipher setup of
 * {@link AesGcm#seal}) reproduces the vector's {@code ct || tag}; {@link AesGcm#seal} round-trips;
 * and {@link AesGcm#open} rejects every vector with any other IV size (even those Wycheproof calls
 * valid), since Keyhaven only accepts 96-bit IVs.
 *
 * <p>{@code acceptable}: none exist in the AES-256 groups of the pinned file (asserted). Decision:
 * an acceptable vector is a legal input that Wycheproof flags as weak; in a 96-bit IV / 128-bit tag
 * group it must behave exactly like {@code valid} (decrypt to {@code msg}, known-answer seal
 * reproduces {@code ct || tag}), because {@link AesGcm} has no policy beyond IV and tag size; in
 * any other group it must be rejected like every other case there. A vector update that adds some
 * changes the asserted counts and so is reviewed.
 */
class AesGcmWycheproofTest {
  private static final String FILE = "wycheproof/aes_gcm_test.json";

  @BeforeAll
  static void providerIsInApprovedOnlyMode() {
    assertTrue(Fips.isApprovedOnlyMode(), "surefire must start the JVM in approved-only mode");
  }

  /** One Wycheproof test with its group's parameters. */
  private record Case(int ivBits, int tagBits, JsonNode test) {
    int tcId() {
      return test.get("tcId").asInt();
    }

    String result() {
      return test.get("result").asText();
    }

    boolean supportedParameters() {
      return ivBits == AesGcm.IV_LENGTH * 8 && tagBits == AesGcm.TAG_BITS;
    }

    byte[] key() {
      return hex(test, "key");
    }

    byte[] iv() {
      return hex(test, "iv");
    }

    byte[] aad() {
      return hex(test, "aad");
    }

    byte[] msg() {
      return hex(test, "msg");
    }

    byte[] ctAndTag() {
      return concat(hex(test, "ct"), hex(test, "tag"));
    }
  }

  private static void forEachAes256Case(Consumer<Case> action) {
    JsonNode file = TestVectors.json(FILE);
    assertEquals("aead_test_schema_v1.json", file.get("schema").asText());
    for (JsonNode group : file.get("testGroups")) {
      if (group.get("keySize").asInt() != 256) {
        continue;
      }
      for (JsonNode test : group.get("tests")) {
        action.accept(new Case(group.get("ivSize").asInt(), group.get("tagSize").asInt(), test));
      }
    }
  }

  /**
   * Every group is counted by key size: the AES-256 groups run in the tests below; the AES-128 and
   * AES-192 groups are not applicable (Keyhaven's GCM keys are 256-bit only) and counted, so a
   * vector update or a filter that drops more than it should fails here.
   */
  @Test
  void testGroups_byKeySize_aes256RunOthersCountedAsNotApplicable() {
    Map<Integer, Integer> groups = new TreeMap<>();
    Map<Integer, Integer> cases = new TreeMap<>();
    for (JsonNode group : TestVectors.json(FILE).get("testGroups")) {
      groups.merge(group.get("keySize").asInt(), 1, Integer::sum);
      cases.merge(group.get("keySize").asInt(), group.get("tests").size(), Integer::sum);
    }
    assertEquals(Map.of(128, 15, 192, 15, 256, 15), groups, "groups by key size");
    assertEquals(Map.of(128, 108, 192, 103, 256, 105), cases, "cases by key size (256: run)");
    int[] run = {0};
    forEachAes256Case(c -> run[0]++);
    assertEquals(105, run[0], "AES-256 cases walked by the tests below");
  }

  @Test
  void open_aes256Iv96Tag128Vectors_matchesWycheproofVerdict() {
    List<String> mismatches = new ArrayList<>();
    int[] valid = {0};
    int[] invalid = {0};
    int[] acceptable = {0};
    forEachAes256Case(
        c -> {
          if (!c.supportedParameters()) {
            return;
          }
          switch (c.result()) {
            case "valid", "acceptable" -> {
              (c.result().equals("valid") ? valid : acceptable)[0]++;
              try {
                byte[] plaintext = AesGcm.open(c.key(), c.iv(), c.ctAndTag(), c.aad());
                if (!Arrays.equals(c.msg(), plaintext)) {
                  mismatches.add("tcId " + c.tcId() + ": open returned " + hex(plaintext));
                }
              } catch (RuntimeException e) {
                mismatches.add("tcId " + c.tcId() + ": open threw " + e);
              }
            }
            case "invalid" -> {
              invalid[0]++;
              String problem =
                  TestVectors.rejectionProblem(
                      () -> AesGcm.open(c.key(), c.iv(), c.ctAndTag(), c.aad()));
              if (problem != null) {
                mismatches.add("tcId " + c.tcId() + " (invalid): open " + problem);
              }
            }
            default -> mismatches.add("tcId " + c.tcId() + ": unknown result " + c.result());
          }
        });
    assertEquals(List.of(), mismatches);
    assertEquals(39, valid[0], "valid cases checked");
    assertEquals(27, invalid[0], "invalid cases checked");
    assertEquals(0, acceptable[0], "acceptable cases checked");
  }

  @Test
  void sealWithIvForKnownAnswerTest_aes256Iv96Tag128ValidVectors_reproducesCiphertextAndTag() {
    List<String> mismatches = new ArrayList<>();
    int[] checked = {0};
    forEachAes256Case(
        c -> {
          if (!c.supportedParameters() || c.result().equals("invalid")) {
            return;
          }
          checked[0]++;
          try {
            byte[] sealed = AesGcm.sealWithIvForKnownAnswerTest(c.key(), c.iv(), c.msg(), c.aad());
            if (!Arrays.equals(c.ctAndTag(), sealed)) {
              mismatches.add("tcId " + c.tcId() + ": sealed " + hex(sealed));
            }
          } catch (Exception e) {
            mismatches.add("tcId " + c.tcId() + ": seal threw " + e);
          }
        });
    assertEquals(List.of(), mismatches);
    assertEquals(39, checked[0], "valid and acceptable cases sealed");
  }

  @Test
  void seal_aes256ValidVectorInputs_roundTripsThroughOpen() {
    List<String> mismatches = new ArrayList<>();
    int[] checked = {0};
    forEachAes256Case(
        c -> {
          if (!c.supportedParameters() || c.result().equals("invalid")) {
            return;
          }
          checked[0]++;
          try {
            byte[] sealed = AesGcm.seal(c.key(), c.msg(), c.aad());
            int expectedLength = AesGcm.IV_LENGTH + c.msg().length + AesGcm.TAG_BITS / 8;
            if (sealed.length != expectedLength) {
              mismatches.add("tcId " + c.tcId() + ": seal returned " + sealed.length + " bytes");
              return;
            }
            byte[] iv = Arrays.copyOfRange(sealed, 0, AesGcm.IV_LENGTH);
            byte[] body = Arrays.copyOfRange(sealed, AesGcm.IV_LENGTH, sealed.length);
            if (!Arrays.equals(c.msg(), AesGcm.open(c.key(), iv, body, c.aad()))) {
              mismatches.add("tcId " + c.tcId() + ": round trip changed the message");
            }
          } catch (RuntimeException e) {
            mismatches.add("tcId " + c.tcId() + ": seal/open threw " + e);
          }
        });
    assertEquals(List.of(), mismatches);
    assertEquals(39, checked[0], "valid and acceptable inputs sealed");
  }

  @Test
  void open_aes256OtherIvOrTagSize_throwsInvalidCiphertext() {
    List<String> mismatches = new ArrayList<>();
    int[] wycheproofValid = {0};
    int[] wycheproofInvalid = {0};
    int[] wycheproofAcceptable = {0};
    forEachAes256Case(
        c -> {
          if (c.supportedParameters()) {
            return;
          }
          switch (c.result()) {
            case "valid" -> wycheproofValid[0]++;
            case "invalid" -> wycheproofInvalid[0]++;
            case "acceptable" -> wycheproofAcceptable[0]++;
            default -> mismatches.add("tcId " + c.tcId() + ": unknown result " + c.result());
          }
          String problem =
              TestVectors.rejectionProblem(
                  () -> AesGcm.open(c.key(), c.iv(), c.ctAndTag(), c.aad()));
          if (problem != null) {
            mismatches.add(
                "tcId "
                    + c.tcId()
                    + " (iv "
                    + c.ivBits()
                    + " bits, tag "
                    + c.tagBits()
                    + " bits):"
                    + " open "
                    + problem);
          }
        });
    assertEquals(List.of(), mismatches);
    // IV sizes 8..2056 bits except 96 (Wycheproof: valid) and 0 bits (Wycheproof: invalid).
    assertEquals(37, wycheproofValid[0], "Wycheproof-valid cases with unsupported IV/tag rejected");
    assertEquals(
        2, wycheproofInvalid[0], "Wycheproof-invalid cases with unsupported IV/tag rejected");
    assertEquals(0, wycheproofAcceptable[0], "acceptable cases with unsupported IV/tag rejected");
  }
}
