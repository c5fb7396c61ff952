package dev.keyhaven.kms.adapter.fips;

import static dev.keyhaven.kms.adapter.fips.TestVectors.hex;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.key.MacAlgorithm;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof HMAC vectors ({@code hmac_sha{224,256,384,512}_test.json}, schema {@code
 * mac_test_schema_v1.json}) through {@link FipsHmac}, GenerateMac's and VerifyMac's code: for
 * full-length tags, valid cases compute the tag and verify, invalid (modified) tags are refused;
 * truncated tags (Wycheproof's 128-bit groups) are refused by verification even when valid —
 * VerifyMac compares the whole MAC — while the computed MAC starts with them. No case is {@code
 * acceptable}.
 */
class HmacWycheproofTest {
  private final FipsHmac hmac = new FipsHmac();

  @Test
  void macAndVerify_allFourHashes_fullTagsOnly() {
    VectorTally tally = new VectorTally();
    for (MacAlgorithm algorithm : MacAlgorithm.values()) {
      int bits = algorithm.hash().length() * 8;
      String file = "hmac_sha" + bits + "_test.json";
      VectorTally.forEachCase(
          file,
          "mac_test_schema_v1.json",
          (group, test) -> {
            String label = VectorTally.label(file, test);
            boolean full = group.get("tagSize").asInt() == bits;
            boolean valid = test.get("result").asText().equals("valid");
            byte[] tag = hex(test, "tag");
            byte[] msg = hex(test, "msg");
            byte[] mac = hmac.mac(algorithm, SecretBytes.adopt(hex(test, "key")), msg);
            String category = (full ? "full:" : "truncated:") + test.get("result").asText();
            tally.expect(
                category,
                label,
                valid && full,
                hmac.verify(algorithm, SecretBytes.adopt(hex(test, "key")), msg, tag));
            if (valid && !Arrays.equals(Arrays.copyOf(mac, tag.length), tag)) {
              tally.mismatch(label, "computed MAC does not start with the tag");
            }
          });
    }
    tally.assertClean(
        Map.of(
            "full:valid",
            132,
            "full:invalid",
            216,
            "truncated:valid",
            132,
            "truncated:invalid",
            214));
  }
}
