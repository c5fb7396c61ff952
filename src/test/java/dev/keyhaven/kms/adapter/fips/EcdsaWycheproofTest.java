package dev.keyhaven.kms.adapter.fips;

import static dev.keyhaven.kms.adapter.fips.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof ECDSA verification vectors ({@code ecdsa_*_test.json}, schema {@code
 * ecdsa_verify_schema_v1.json}, DER signatures — the format KMS Sign returns) through the
 * production path: {@link FipsKeyPairs#publicKey} loads the group's DER public key for the KMS key
 * spec, {@link FipsSignatures#verify} checks each signature twice — as a RAW message (the provider
 * hashes) and as a DIGEST (the test hashes, the provider must not hash again). Valid cases must
 * verify both ways, invalid ones (BER and other non-DER encodings, out-of-range and modified
 * integers, arithmetic edge cases) both ways not.
 *
 * <p>The files run are the four whose curve and hash are an AWS signing algorithm: P-256 with
 * ECDSA_SHA_256, P-384 with ECDSA_SHA_384, P-521 with ECDSA_SHA_512, secp256k1 with ECDSA_SHA_256
 * (the others pair a curve with a hash AWS does not offer for it). No case is {@code acceptable}.
 */
class EcdsaWycheproofTest {

  @BeforeAll
  static void approvedOnly() {
    assertTrue(Fips.isApprovedOnlyMode(), "surefire must start the JVM in approved-only mode");
  }

  private static void run(
      VectorTally tally, String file, KeySpec spec, SigningAlgorithm algorithm) {
    VectorTally.forEachCase(
        file,
        "ecdsa_verify_schema_v1.json",
        (group, test) -> {
          String label = VectorTally.label(file, test);
          PublicKey key;
          try {
            key = FipsKeyPairs.publicKey(spec, hex(group, "publicKeyDer"));
          } catch (IllegalArgumentException e) {
            tally.mismatch(label, "public key refused: " + e.getMessage());
            return;
          }
          byte[] msg = hex(test, "msg");
          byte[] sig = hex(test, "sig");
          boolean valid = test.get("result").asText().equals("valid");
          String category = file.replace("_test.json", "") + ":" + test.get("result").asText();
          tally.expect(
              category,
              label + " RAW",
              valid,
              FipsSignatures.verify(algorithm, key, msg, MessageType.RAW, sig));
          tally.expect(
              category + ":digest",
              label + " DIGEST",
              valid,
              FipsSignatures.verify(algorithm, key, sha(algorithm, msg), MessageType.DIGEST, sig));
        });
  }

  static byte[] sha(SigningAlgorithm algorithm, byte[] message) {
    try {
      return MessageDigest.getInstance(FipsSignatures.jcaDigest(algorithm.hash()), Fips.PROVIDER)
          .digest(message);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void verify_nistCurvesAndSecp256k1_validAcceptedInvalidRejected() {
    VectorTally tally = new VectorTally();
    run(
        tally,
        "ecdsa_secp256r1_sha256_test.json",
        KeySpec.ECC_NIST_P256,
        SigningAlgorithm.ECDSA_SHA_256);
    run(
        tally,
        "ecdsa_secp384r1_sha384_test.json",
        KeySpec.ECC_NIST_P384,
        SigningAlgorithm.ECDSA_SHA_384);
    run(
        tally,
        "ecdsa_secp521r1_sha512_test.json",
        KeySpec.ECC_NIST_P521,
        SigningAlgorithm.ECDSA_SHA_512);
    run(
        tally,
        "ecdsa_secp256k1_sha256_test.json",
        KeySpec.ECC_SECG_P256K1,
        SigningAlgorithm.ECDSA_SHA_256);
    tally.assertClean(
        Map.ofEntries(
            Map.entry("ecdsa_secp256r1_sha256:valid", 174),
            Map.entry("ecdsa_secp256r1_sha256:valid:digest", 174),
            Map.entry("ecdsa_secp256r1_sha256:invalid", 310),
            Map.entry("ecdsa_secp256r1_sha256:invalid:digest", 310),
            Map.entry("ecdsa_secp384r1_sha384:valid", 194),
            Map.entry("ecdsa_secp384r1_sha384:valid:digest", 194),
            Map.entry("ecdsa_secp384r1_sha384:invalid", 310),
            Map.entry("ecdsa_secp384r1_sha384:invalid:digest", 310),
            Map.entry("ecdsa_secp521r1_sha512:valid", 232),
            Map.entry("ecdsa_secp521r1_sha512:valid:digest", 232),
            Map.entry("ecdsa_secp521r1_sha512:invalid", 310),
            Map.entry("ecdsa_secp521r1_sha512:invalid:digest", 310),
            Map.entry("ecdsa_secp256k1_sha256:valid", 168),
            Map.entry("ecdsa_secp256k1_sha256:valid:digest", 168),
            Map.entry("ecdsa_secp256k1_sha256:invalid", 308),
            Map.entry("ecdsa_secp256k1_sha256:invalid:digest", 308)));
  }
}
