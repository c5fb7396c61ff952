package dev.keyhaven.kms.adapter.fips;

import static dev.keyhaven.kms.adapter.fips.TestVectors.hex;

import dev.keyhaven.kms.domain.crypto.HashAlgorithm;
import dev.keyhaven.kms.domain.error.KmsException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof RSA-OAEP decryption vectors through {@link FipsRsaOaep}, the code Decrypt and
 * ImportKeyMaterial use:
 *
 * <ul>
 *   <li>{@code rsa_oaep_2048_sha1_mgf1sha1}, {@code rsa_oaep_{2048,3072,4096}_sha256_mgf1sha256}
 *       (RSAES_OAEP_SHA_1 and _SHA_256 as AWS defines them: MGF1 with the same hash): valid cases
 *       return the message (with the vector's label; the label-free ones also through the exact
 *       production signature), invalid ones are the one InvalidCiphertextException.
 *   <li>{@code rsa_oaep_{2048,3072,4096}_sha256_mgf1sha1} — the mix-up detectors: SHA-256 with
 *       MGF1-SHA-1 (what SunJCE's "OAEPWithSHA-256AndMGF1Padding" means by default) is not
 *       RSAES_OAEP_SHA_256, so RSAES_OAEP_SHA_256 must refuse every case, valid ones included.
 *   <li>{@code rsa_oaep_misc}: the groups with AWS's parameters (SHA-1 or SHA-256 with the same
 *       MGF1 hash, 2048/3072/4096-bit keys — the only 3072/4096 SHA-1 cases Wycheproof has, empty
 *       messages included) decrypt; the other groups are counted, not run.
 * </ul>
 *
 * No {@code acceptable} case is run (the three in the misc file use 2688-, 3104- and 4032-bit keys,
 * not KMS key sizes).
 */
class RsaOaepWycheproofTest {

  private static HashAlgorithm hash(String name) {
    return name.equals("SHA-1")
        ? HashAlgorithm.SHA_1
        : HashAlgorithm.valueOf(name.replace('-', '_'));
  }

  /** Decrypts; returns the plaintext, or null for the one InvalidCiphertextException. */
  private static byte[] decrypt(
      HashAlgorithm sha, HashAlgorithm mgf, byte[] label, byte[] key, byte[] ct) {
    try {
      return label == null
          ? FipsRsaOaep.decrypt(sha, key, ct)
          : FipsRsaOaep.decrypt(sha, mgf, label, key, ct);
    } catch (KmsException e) {
      if (e.code() != dev.keyhaven.kms.domain.error.ErrorCode.INVALID_CIPHERTEXT
          || e.getMessage() != null) {
        throw e;
      }
      return null;
    }
  }

  @Test
  void decrypt_awsParameters_validOpenInvalidRefused() {
    VectorTally tally = new VectorTally();
    for (String file :
        new String[] {
          "rsa_oaep_2048_sha1_mgf1sha1_test.json", "rsa_oaep_2048_sha256_mgf1sha256_test.json",
          "rsa_oaep_3072_sha256_mgf1sha256_test.json", "rsa_oaep_4096_sha256_mgf1sha256_test.json"
        }) {
      VectorTally.forEachCase(
          file,
          "rsaes_oaep_decrypt_schema_v1.json",
          (group, test) -> {
            String label = VectorTally.label(file, test);
            HashAlgorithm sha = hash(group.get("sha").asText());
            byte[] key = hex(group, "privateKeyPkcs8");
            byte[] msg = hex(test, "msg");
            byte[] oaepLabel = hex(test, "label");
            boolean valid = test.get("result").asText().equals("valid");
            byte[] opened = decrypt(sha, sha, oaepLabel, key, hex(test, "ct"));
            tally.expect(
                test.get("result").asText(),
                label,
                valid,
                opened != null && Arrays.equals(msg, opened));
            if (valid && oaepLabel.length == 0) {
              byte[] production = decrypt(sha, sha, null, key, hex(test, "ct"));
              tally.expect(
                  "valid:productionSignature",
                  label,
                  true,
                  production != null && Arrays.equals(msg, production));
            }
          });
    }
    tally.assertClean(Map.of("valid", 71, "valid:productionSignature", 40, "invalid", 76));
  }

  @Test
  void decrypt_sha256WithMgf1Sha1_refusedByRsaesOaepSha256() {
    VectorTally tally = new VectorTally();
    for (String size : new String[] {"2048", "3072", "4096"}) {
      String file = "rsa_oaep_" + size + "_sha256_mgf1sha1_test.json";
      VectorTally.forEachCase(
          file,
          "rsaes_oaep_decrypt_schema_v1.json",
          (group, test) ->
              tally.expect(
                  "mixUp:" + test.get("result").asText(),
                  VectorTally.label(file, test),
                  false,
                  decrypt(
                          HashAlgorithm.SHA_256,
                          null,
                          null,
                          hex(group, "privateKeyPkcs8"),
                          hex(test, "ct"))
                      != null));
    }
    tally.assertClean(Map.of("mixUp:valid", 39, "mixUp:invalid", 56));
  }

  @Test
  void decrypt_miscFileAwsGroups_open3072And4096Sha1AndEmptyMessages() {
    VectorTally tally = new VectorTally();
    String file = "rsa_oaep_misc_test.json";
    VectorTally.forEachCase(
        file,
        "rsaes_oaep_decrypt_schema_v1.json",
        (group, test) -> {
          String sha = group.get("sha").asText();
          int size = group.get("keySize").asInt();
          boolean aws =
              (sha.equals("SHA-1") || sha.equals("SHA-256"))
                  && group.get("mgfSha").asText().equals(sha)
                  && (size == 2048 || size == 3072 || size == 4096);
          if (!aws) {
            tally.count("notAwsParameters");
            return;
          }
          byte[] msg = hex(test, "msg");
          byte[] opened =
              decrypt(hash(sha), null, null, hex(group, "privateKeyPkcs8"), hex(test, "ct"));
          tally.expect(
              msg.length == 0 ? "valid:empty" : "valid",
              VectorTally.label(file, test),
              true,
              opened != null && Arrays.equals(msg, opened));
        });
    tally.assertClean(Map.of("valid", 12, "valid:empty", 6, "notAwsParameters", 377));
  }
}
