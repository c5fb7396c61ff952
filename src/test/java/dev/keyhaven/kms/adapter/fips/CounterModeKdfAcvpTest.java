package dev.keyhaven.kms.adapter.fips;

import static dev.keyhaven.kms.adapter.fips.TestVectors.concat;
import static dev.keyhaven.kms.adapter.fips.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the NIST ACVP SP 800-108 KDF sample vectors (the counter-mode HMAC-SHA2-256 groups of {@code
 * KDF-1.0/internalProjection.json}, extracted into {@code nist/acvp/KDF-1.0/counter-hmac-sha2-256
 * .json}; usnistgov/ACVP-Server {@code gen-val/json-files}, tag v1.1.0.43, via the gzip mirror
 * pinned in {@code src/test/resources/testvectors/README.md}) through the production {@link
 * CounterModeKdf}, for every test group with {@code kdfMode = counter} and {@code macMode =
 * HMAC-SHA2-256} (90 groups, 180 cases: counter 8/16/24/32 bits before, after and inside the fixed
 * data).
 *
 * <p>What the data says about its fields (asserted in {@link
 * #vectorFields_counterHmacSha256Groups_haveExpectedShape}): {@code fixedData} is always 128 bits
 * and {@code keyIn} 256 bits; {@code l} is 0 in every case (unused: the output length is the
 * group's {@code keyOutLength}); every case carries a {@code breakLocation} b in bits, {@code 0 < b
 * < 128}, which only means something for {@code middle fixed data}, where the PRF input is the
 * first b bits of fixed data, the counter, then the rest. {@code keyOut} has ceil(keyOutLength / 8)
 * bytes with the unused low bits of the last byte zero.
 *
 * <p>Proves: {@link CounterModeKdf#derive} reproduces {@code keyOut} for every case its byte-level
 * API can express: counter before (prefix empty), after (suffix empty) and inside at a byte-aligned
 * break. Where keyOutLength is not a multiple of 8 the last byte is compared with its unused bits
 * masked (a separate counted category). Not applicable, and counted: {@code middle fixed data} with
 * a break that is not a multiple of 8 bits. The counter then straddles byte boundaries, which no
 * byte prefix/suffix can express (nor does Keyhaven need it: {@link CounterModeKdf#deriveKey} puts
 * the counter first); a bit-level reference HMAC over the same data confirms that reading. They
 * cannot run through the production class: it hands prefix and suffix bytes to the FIPS module's SP
 * 800-108 API ({@code FipsKDF.CounterModeParameters.using(key, prefix, suffix)}), which has no bit
 * offset either, and a bit-level path written for these vectors alone would be production code that
 * nothing else calls. The groups of other modes and PRFs are not carried: the extract holds the 90
 * counter-mode HMAC-SHA2-256 groups of the upstream file's 5,878, and every group read is asserted
 * to be one of them. {@link CounterModeKdf#deriveKey} is shown to be exactly {@code derive} with a
 * 32-bit counter before {@code Label || 0x00 || Context || [256]_32}.
 */
class CounterModeKdfAcvpTest {
  private static final String FILE = "nist/acvp/KDF-1.0/counter-hmac-sha2-256.json";
  private static final String BEFORE = "before fixed data";
  private static final String AFTER = "after fixed data";
  private static final String MIDDLE = "middle fixed data";

  private record Case(int tgId, String location, int counterBits, int outBits, JsonNode test) {
    String label() {
      return "tgId " + tgId + " tcId " + test.get("tcId").asInt();
    }

    int breakBits() {
      return test.get("breakLocation").asInt();
    }

    boolean byteLevelApiApplies() {
      return !location.equals(MIDDLE) || breakBits() % 8 == 0;
    }

    byte[] keyIn() {
      return hex(test, "keyIn");
    }

    byte[] fixedData() {
      return hex(test, "fixedData");
    }

    byte[] keyOut() {
      return hex(test, "keyOut");
    }

    int outBytes() {
      return (outBits + 7) / 8;
    }
  }

  @BeforeAll
  static void providerIsInApprovedOnlyMode() {
    assertTrue(Fips.isApprovedOnlyMode(), "surefire must start the JVM in approved-only mode");
  }

  private static void forEachCase(Consumer<Case> action) {
    JsonNode file = TestVectors.json(FILE);
    assertEquals("KDF", file.get("algorithm").asText());
    assertEquals("1.0", file.get("revision").asText());
    // The extract holds exactly the counter-mode HMAC-SHA2-256 groups (refresh.py): 90 of them.
    assertEquals(90, file.get("testGroups").size(), "groups in the extract");
    for (JsonNode group : file.get("testGroups")) {
      String label = "tgId " + group.get("tgId");
      assertEquals("counter", group.get("kdfMode").asText(), label);
      assertEquals("HMAC-SHA2-256", group.get("macMode").asText(), label);
      assertEquals("AFT", group.get("testType").asText(), label);
      for (JsonNode test : group.get("tests")) {
        action.accept(
            new Case(
                group.get("tgId").asInt(),
                group.get("counterLocation").asText(),
                group.get("counterLength").asInt(),
                group.get("keyOutLength").asInt(),
                test));
      }
    }
  }

  /** {@code bytes} with the bits past {@code bits} in its last byte cleared. */
  private static byte[] maskTo(byte[] bytes, int bits) {
    byte[] out = bytes.clone();
    if (bits % 8 != 0) {
      out[out.length - 1] &= (byte) (0xff << (8 - bits % 8));
    }
    return out;
  }

  @Test
  void derive_acvpCounterHmacSha256Vectors_reproducesKeyOut() {
    List<String> mismatches = new ArrayList<>();
    Map<String, Integer> checkedByLocation = new TreeMap<>();
    int[] wholeBytes = {0};
    int[] partialLastByte = {0};
    int[] notApplicable = {0};
    forEachCase(
        c -> {
          if (!c.byteLevelApiApplies()) {
            notApplicable[0]++;
            return;
          }
          byte[] fixed = c.fixedData();
          byte[] prefix;
          byte[] suffix;
          switch (c.location()) {
            case BEFORE -> {
              prefix = new byte[0];
              suffix = fixed;
            }
            case AFTER -> {
              prefix = fixed;
              suffix = new byte[0];
            }
            case MIDDLE -> {
              prefix = Arrays.copyOfRange(fixed, 0, c.breakBits() / 8);
              suffix = Arrays.copyOfRange(fixed, c.breakBits() / 8, fixed.length);
            }
            default -> {
              mismatches.add(c.label() + ": unknown counterLocation " + c.location());
              return;
            }
          }
          checkedByLocation.merge(c.location(), 1, Integer::sum);
          (c.outBits() % 8 == 0 ? wholeBytes : partialLastByte)[0]++;
          try {
            byte[] out =
                CounterModeKdf.derive(c.keyIn(), c.counterBits(), prefix, suffix, c.outBytes());
            if (!Arrays.equals(maskTo(c.keyOut(), c.outBits()), maskTo(out, c.outBits()))) {
              mismatches.add(c.label() + ": derived " + hex(out));
            }
          } catch (RuntimeException e) {
            mismatches.add(c.label() + ": derive threw " + e);
          }
        });
    assertEquals(List.of(), mismatches);
    assertEquals(Map.of(BEFORE, 60, AFTER, 60, MIDDLE, 6), checkedByLocation);
    assertEquals(67, wholeBytes[0], "cases with keyOutLength a multiple of 8, compared exactly");
    assertEquals(59, partialLastByte[0], "cases with a partial last byte, compared masked");
    assertEquals(54, notApplicable[0], "middle fixed data with a break not on a byte boundary");
  }

  /**
   * The not-applicable category is what it claims: the expected output is the counter inserted at a
   * bit offset inside the fixed data, computed here by an independent reference (JCA HMAC-SHA256 of
   * the FIPS provider, bit-level assembly).
   */
  @Test
  void unalignedMiddleVectors_bitLevelReferenceHmac_reproducesKeyOut() throws Exception {
    List<String> mismatches = new ArrayList<>();
    int[] checked = {0};
    forEachCase(
        c -> {
          if (c.byteLevelApiApplies()) {
            return;
          }
          checked[0]++;
          try {
            byte[] out =
                bitLevelCounterKdf(
                    c.keyIn(), c.counterBits(), c.fixedData(), c.breakBits(), c.outBytes());
            if (!Arrays.equals(maskTo(c.keyOut(), c.outBits()), maskTo(out, c.outBits()))) {
              mismatches.add(c.label() + ": reference derived " + hex(out));
            }
          } catch (GeneralSecurityException e) {
            mismatches.add(c.label() + ": reference threw " + e);
          }
        });
    assertEquals(List.of(), mismatches);
    assertEquals(54, checked[0], "middle fixed data with a break not on a byte boundary");
  }

  @Test
  void vectorFields_counterHmacSha256Groups_haveExpectedShape() {
    List<String> problems = new ArrayList<>();
    int[] total = {0};
    forEachCase(
        c -> {
          total[0]++;
          JsonNode t = c.test();
          if (t.get("l").asInt() != 0) {
            problems.add(c.label() + ": l = " + t.get("l"));
          }
          if (c.keyIn().length != 32 || c.fixedData().length != 16) {
            problems.add(c.label() + ": keyIn/fixedData length");
          }
          if (c.breakBits() <= 0 || c.breakBits() >= c.fixedData().length * 8) {
            problems.add(c.label() + ": breakLocation " + c.breakBits());
          }
          byte[] keyOut = c.keyOut();
          if (keyOut.length != c.outBytes()
              || !Arrays.equals(keyOut, maskTo(keyOut, c.outBits()))) {
            problems.add(c.label() + ": keyOut is not ceil(L/8) bytes with zero padding bits");
          }
        });
    assertEquals(List.of(), problems);
    assertEquals(180, total[0], "counter-mode HMAC-SHA2-256 cases");
  }

  @Test
  void deriveKey_labelAndContext_equalsCounterBeforeSp800108FixedInput() throws Exception {
    byte[][] keys = {hex("00".repeat(32)), hex("5a".repeat(16) + "c3".repeat(16))};
    byte[][] labels = {
      new byte[0],
      "keyhaven:data-key:v1".getBytes(StandardCharsets.US_ASCII),
      "keyhaven:material-wrap:v1".getBytes(StandardCharsets.US_ASCII)
    };
    byte[][] contexts = {new byte[0], hex("01"), hex("00ff".repeat(40))};
    int checked = 0;
    for (byte[] key : keys) {
      for (byte[] label : labels) {
        for (byte[] context : contexts) {
          byte[] fixed =
              concat(concat(concat(label, new byte[] {0}), context), new byte[] {0, 0, 1, 0});
          byte[] expected = hmacSha256(key, concat(new byte[] {0, 0, 0, 1}, fixed));
          byte[] actual = CounterModeKdf.deriveKey(key, label, context);
          assertArrayEquals(expected, actual, "deriveKey vs HMAC(K, [1]_32 || fixed)");
          assertArrayEquals(
              CounterModeKdf.derive(key, 32, new byte[0], fixed, 32),
              actual,
              "deriveKey vs derive");
          checked++;
        }
      }
    }
    assertEquals(18, checked);
  }

  /** SP 800-108 counter mode with the r-bit counter inserted after the first breakBits bits. */
  private static byte[] bitLevelCounterKdf(
      byte[] keyIn, int counterBits, byte[] fixed, int breakBits, int outBytes)
      throws GeneralSecurityException {
    byte[] out = new byte[outBytes];
    int done = 0;
    for (long i = 1; done < outBytes; i++) {
      BitWriter input = new BitWriter(fixed.length * 8 + counterBits);
      for (int b = 0; b < breakBits; b++) {
        input.put(bit(fixed, b));
      }
      for (int b = counterBits - 1; b >= 0; b--) {
        input.put((int) (i >>> b) & 1);
      }
      for (int b = breakBits; b < fixed.length * 8; b++) {
        input.put(bit(fixed, b));
      }
      byte[] block = hmacSha256(keyIn, input.bytes());
      int n = Math.min(block.length, outBytes - done);
      System.arraycopy(block, 0, out, done, n);
      done += n;
    }
    return out;
  }

  private static int bit(byte[] bytes, int index) {
    return (bytes[index / 8] >>> (7 - index % 8)) & 1;
  }

  private static final class BitWriter {
    private final byte[] bytes;
    private int at;

    BitWriter(int bits) {
      assertEquals(0, bits % 8, "PRF input is whole bytes");
      bytes = new byte[bits / 8];
    }

    void put(int bit) {
      bytes[at / 8] |= (byte) (bit << (7 - at % 8));
      at++;
    }

    byte[] bytes() {
      assertEquals(bytes.length * 8, at, "PRF input fully written");
      return bytes;
    }
  }

  private static byte[] hmacSha256(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HMACSHA256", Fips.PROVIDER);
    mac.init(new SecretKeySpec(key, "HMACSHA256"));
    return mac.doFinal(data);
  }
}
