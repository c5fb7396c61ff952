package dev.keyhaven.kms.adapter.fips;

import static dev.keyhaven.kms.adapter.fips.TestVectors.hex;

import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import java.security.PublicKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof RSASSA-PSS verification vectors through the production path: RAW messages through the
 * module's {@code SHA*withRSA/PSS}, DIGEST messages through {@link PrehashedRsaPss} — the one
 * non-approved path (docs/fips.md) — so the same vectors check both.
 *
 * <ul>
 *   <li>{@code rsa_pss_{2048,3072,4096}_sha*_mgf1_*_test.json}: AWS's parameters (MGF1 with the
 *       same hash, salt = hash length); valid accepted, invalid rejected, both paths.
 *   <li>{@code rsa_pss_misc_test.json} (a 2048-bit key, every hash × MGF1 hash × salt length): the
 *       groups with AWS's parameters verify; every other group with SHA-256/384/512 holds
 *       signatures that are valid for their own parameters and must be rejected by the AWS
 *       algorithm of that hash (a wrong MGF1 hash or salt length is a mix-up, not a match); the
 *       SHA-1/SHA-224 groups are no KMS algorithm and are counted, not run.
 * </ul>
 *
 * No case is {@code acceptable}.
 */
class RsaPssWycheproofTest {
  private static final String[] FILES = {
    "rsa_pss_2048_sha256_mgf1_32_test.json", "rsa_pss_2048_sha384_mgf1_48_test.json",
    "rsa_pss_3072_sha256_mgf1_32_test.json", "rsa_pss_4096_sha256_mgf1_32_test.json",
    "rsa_pss_4096_sha384_mgf1_48_test.json", "rsa_pss_4096_sha512_mgf1_64_test.json"
  };

  private static void both(
      VectorTally tally,
      String category,
      String label,
      boolean expected,
      SigningAlgorithm algorithm,
      PublicKey key,
      byte[] msg,
      byte[] sig) {
    tally.expect(
        category + ":raw",
        label + " RAW",
        expected,
        FipsSignatures.verify(algorithm, key, msg, MessageType.RAW, sig));
    tally.expect(
        category + ":digest",
        label + " DIGEST",
        expected,
        FipsSignatures.verify(
            algorithm, key, EcdsaWycheproofTest.sha(algorithm, msg), MessageType.DIGEST, sig));
  }

  @Test
  void verify_awsParameters_validAcceptedInvalidRejectedRawAndDigest() {
    VectorTally tally = new VectorTally();
    for (String file : FILES) {
      VectorTally.forEachCase(
          file,
          "rsassa_pss_verify_schema_v1.json",
          (group, test) -> {
            SigningAlgorithm algorithm =
                SigningAlgorithm.valueOf(
                    "RSASSA_PSS_SHA_" + group.get("sha").asText().substring(4));
            KeySpec spec = KeySpec.valueOf("RSA_" + group.get("keySize").asInt());
            String result = test.get("result").asText();
            both(
                tally,
                result,
                VectorTally.label(file, test),
                result.equals("valid"),
                algorithm,
                FipsKeyPairs.publicKey(spec, hex(group, "publicKeyDer")),
                hex(test, "msg"),
                hex(test, "sig"));
          });
    }
    tally.assertClean(
        Map.of("valid:raw", 511, "valid:digest", 511, "invalid:raw", 274, "invalid:digest", 274));
  }

  @Test
  void verify_miscParameterGrid_onlyAwsParametersVerify() {
    VectorTally tally = new VectorTally();
    String file = "rsa_pss_misc_test.json";
    VectorTally.forEachCase(
        file,
        "rsassa_pss_verify_schema_v1.json",
        (group, test) -> {
          String sha = group.get("sha").asText();
          if (!sha.equals("SHA-256") && !sha.equals("SHA-384") && !sha.equals("SHA-512")) {
            tally.count("notAnAwsHash");
            return;
          }
          SigningAlgorithm algorithm =
              SigningAlgorithm.valueOf("RSASSA_PSS_SHA_" + sha.substring(4));
          boolean awsParameters =
              group.get("mgfSha").asText().equals(sha)
                  && group.get("sLen").asInt() == algorithm.hash().length();
          both(
              tally,
              awsParameters ? "awsParameters" : "otherParameters",
              VectorTally.label(file, test),
              awsParameters,
              algorithm,
              FipsKeyPairs.publicKey(KeySpec.RSA_2048, hex(group, "publicKeyDer")),
              hex(test, "msg"),
              hex(test, "sig"));
        });
    tally.assertClean(
        Map.of(
            "awsParameters:raw",
            3,
            "awsParameters:digest",
            3,
            "otherParameters:raw",
            87,
            "otherParameters:digest",
            87,
            "notAnAwsHash",
            60));
  }
}
