package dev.keyhaven.kms.adapter.fips;

import static dev.keyhaven.kms.adapter.fips.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the NIST ACVP AES-KWP sample vectors ({@code nist/acvp/ACVP-AES-KWP-1.0/prompt-cipher.json}
 * with answers from {@code expectedResults-cipher.json}, matched by tgId/tcId;
 * usnistgov/ACVP-Server {@code gen-val/json-files}, tag v1.1.0.43, via the gzip mirror pinned in
 * {@code src/test/resources/testvectors/README.md}) through the production {@link AesKeyWrapPad},
 * in BC-FIPS approved-only mode, for AES-128, -192 and -256 key-encryption keys and payloads of 1
 * to 512 bytes.
 *
 * <p>Proves: for the standard (forward-cipher) KWP, {@link AesKeyWrapPad#wrap} produces the
 * expected ciphertext of every encrypt case, and {@link AesKeyWrapPad#unwrap} returns the expected
 * plaintext of every decrypt case that NIST marks as passing and throws InvalidCiphertextException
 * for every case with {@code testPassed = false}.
 *
 * <p>The extract holds NIST's 36 forward-cipher groups (every key size, payload length and
 * direction), each with its first 50 of 100 tests, so the repository stays small; it leaves out the
 * groups with {@code kwCipher = inverse}, which use the AES inverse cipher as the wrapping function
 * (KWP-AE with CIPH⁻¹, SP 800-38F §5.1): Keyhaven's KWP is the forward-cipher variant that RFC 5649
 * and AWS KMS key import use. Both are asserted when the files are read. There are no {@code
 * acceptable}-style verdicts in ACVP: every decrypt case either has an expected {@code pt} or
 * {@code testPassed = false}.
 */
class AesKwpAcvpTest {
  private static final String DIR = "nist/acvp/ACVP-AES-KWP-1.0/";

  /** Tests per group in the extract (refresh.py keeps each group's first 50 of NIST's 100). */
  private static final int TESTS_PER_GROUP = 50;

  private record Case(JsonNode group, JsonNode prompt, JsonNode expected) {
    String label() {
      return "tgId " + group.get("tgId").asInt() + " tcId " + prompt.get("tcId").asInt();
    }

    int keyBits() {
      return group.get("keyLen").asInt();
    }

    String direction() {
      return group.get("direction").asText();
    }
  }

  @BeforeAll
  static void providerIsInApprovedOnlyMode() {
    assertTrue(Fips.isApprovedOnlyMode(), "surefire must start the JVM in approved-only mode");
  }

  private static void forEachCase(Consumer<Case> action) {
    JsonNode prompt = TestVectors.json(DIR + "prompt-cipher.json");
    JsonNode expected = TestVectors.json(DIR + "expectedResults-cipher.json");
    assertEquals("ACVP-AES-KWP", prompt.get("algorithm").asText());
    assertEquals("ACVP-AES-KWP", expected.get("algorithm").asText());
    Map<String, JsonNode> answers = new HashMap<>();
    for (JsonNode group : expected.get("testGroups")) {
      for (JsonNode test : group.get("tests")) {
        answers.put(group.get("tgId").asInt() + "/" + test.get("tcId").asInt(), test);
      }
    }
    int matched = 0;
    assertEquals(36, prompt.get("testGroups").size(), "forward-cipher groups in the extract");
    for (JsonNode group : prompt.get("testGroups")) {
      String label = "tgId " + group.get("tgId");
      assertEquals("AFT", group.get("testType").asText(), label);
      assertEquals("cipher", group.get("kwCipher").asText(), label);
      assertEquals(TESTS_PER_GROUP, group.get("tests").size(), label);
      for (JsonNode test : group.get("tests")) {
        JsonNode answer = answers.get(group.get("tgId").asInt() + "/" + test.get("tcId").asInt());
        assertTrue(
            answer != null,
            "no expected result for tgId " + group.get("tgId") + " tcId " + test.get("tcId"));
        assertEquals(group.get("keyLen").asInt(), hex(test, "key").length * 8);
        matched++;
        action.accept(new Case(group, test, answer));
      }
    }
    assertEquals(answers.size(), matched, "every expected result has a prompt");
  }

  @Test
  void wrap_forwardCipherEncryptCases_producesExpectedCiphertext() {
    List<String> mismatches = new ArrayList<>();
    Map<Integer, Integer> checked = new TreeMap<>();
    forEachCase(
        c -> {
          if (!c.direction().equals("encrypt")) {
            return;
          }
          checked.merge(c.keyBits(), 1, Integer::sum);
          try {
            byte[] wrapped = AesKeyWrapPad.wrap(hex(c.prompt(), "key"), hex(c.prompt(), "pt"));
            if (!Arrays.equals(hex(c.expected(), "ct"), wrapped)) {
              mismatches.add(c.label() + ": wrap returned " + hex(wrapped));
            }
          } catch (RuntimeException e) {
            mismatches.add(c.label() + ": wrap threw " + e);
          }
        });
    assertEquals(List.of(), mismatches);
    assertEquals(Map.of(128, 300, 192, 300, 256, 300), checked, "encrypt cases per key size");
  }

  @Test
  void unwrap_forwardCipherDecryptCases_returnsPlaintextOrRejects() {
    List<String> mismatches = new ArrayList<>();
    Map<Integer, Integer> passing = new TreeMap<>();
    Map<Integer, Integer> failing = new TreeMap<>();
    forEachCase(
        c -> {
          if (!c.direction().equals("decrypt")) {
            return;
          }
          byte[] key = hex(c.prompt(), "key");
          byte[] ct = hex(c.prompt(), "ct");
          JsonNode testPassed = c.expected().get("testPassed");
          if (testPassed != null && !testPassed.asBoolean()) {
            failing.merge(c.keyBits(), 1, Integer::sum);
            String problem = TestVectors.rejectionProblem(() -> AesKeyWrapPad.unwrap(key, ct));
            if (problem != null) {
              mismatches.add(c.label() + " (testPassed=false): unwrap " + problem);
            }
            return;
          }
          passing.merge(c.keyBits(), 1, Integer::sum);
          try {
            byte[] unwrapped = AesKeyWrapPad.unwrap(key, ct);
            if (!Arrays.equals(hex(c.expected(), "pt"), unwrapped)) {
              mismatches.add(c.label() + ": unwrap returned " + hex(unwrapped));
            }
          } catch (RuntimeException e) {
            mismatches.add(c.label() + ": unwrap threw " + e);
          }
        });
    assertEquals(List.of(), mismatches);
    assertEquals(Map.of(128, 236, 192, 233, 256, 237), passing, "decrypt cases unwrapped");
    assertEquals(Map.of(128, 64, 192, 67, 256, 63), failing, "testPassed=false cases rejected");
  }
}
