package dev.keyhaven.kms.adapter.fips;

import static dev.keyhaven.kms.adapter.fips.TestVectors.hex;

import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof RSASSA-PKCS1-v1_5 vectors through the production path ({@link FipsKeyPairs}, {@link
 * FipsSignatures}), RAW and DIGEST:
 *
 * <ul>
 *   <li>verification ({@code rsa_signature_{2048,3072,4096}_{sha256,sha384,sha512}_test.json}):
 *       valid accepted, invalid (BER or otherwise modified padding, wrong hash, malleability)
 *       rejected;
 *   <li>generation ({@code rsa_pkcs1_{2048,3072,4096}_sig_gen_test.json}, deterministic): the
 *       signature bytes equal the vector's for SHA-256/384/512, the hashes AWS offers (the SHA-1
 *       and SHA-224 groups are not KMS algorithms and are not run).
 * </ul>
 *
 * <p>{@code acceptable} decisions: "MissingNull" (a DigestInfo without the NULL parameters, one per
 * verification file): accepted on both paths — the module's PKCS#1 verifier tolerates the omitted
 * NULL, as RFC 8017 §9.2 note 2 lets verifiers do; a signature Keyhaven makes always carries the
 * NULL. "SmallPublicKey" (e = 3, generation files): the module signs and the bytes match the
 * vector; such keys never reach it through KMS, because importing a key pair requires an approved
 * public exponent (FIPS 186-5 §A.1.1, {@link FipsKeyPairs#approvedPublicExponent}) and generated
 * keys use 65537.
 */
class RsaPkcs1WycheproofTest {
  private static final String[] SIZES = {"2048", "3072", "4096"};
  private static final String[] HASHES = {"256", "384", "512"};

  private static SigningAlgorithm algorithm(String sha) {
    return SigningAlgorithm.valueOf("RSASSA_PKCS1_V1_5_SHA_" + sha.substring(sha.length() - 3));
  }

  @Test
  void verify_awsKeySizesAndHashes_validAcceptedInvalidRejected() {
    VectorTally tally = new VectorTally();
    for (String size : SIZES) {
      for (String hash : HASHES) {
        String file = "rsa_signature_" + size + "_sha" + hash + "_test.json";
        KeySpec spec = KeySpec.valueOf("RSA_" + size);
        VectorTally.forEachCase(
            file,
            "rsassa_pkcs1_verify_schema_v1.json",
            (group, test) -> {
              String label = VectorTally.label(file, test);
              SigningAlgorithm algorithm = algorithm(group.get("sha").asText());
              PublicKey key = FipsKeyPairs.publicKey(spec, hex(group, "publicKeyDer"));
              byte[] msg = hex(test, "msg");
              byte[] sig = hex(test, "sig");
              String result = test.get("result").asText();
              boolean raw = FipsSignatures.verify(algorithm, key, msg, MessageType.RAW, sig);
              boolean digest =
                  FipsSignatures.verify(
                      algorithm,
                      key,
                      EcdsaWycheproofTest.sha(algorithm, msg),
                      MessageType.DIGEST,
                      sig);
              boolean valid = result.equals("valid");
              boolean acceptable = result.equals("acceptable");
              // acceptable = MissingNull: accepted (class comment).
              tally.expect(result + ":raw", label + " RAW", valid || acceptable, raw);
              tally.expect(result + ":digest", label + " DIGEST", valid || acceptable, digest);
            });
      }
    }
    tally.assertClean(
        Map.of(
            "valid:raw",
            68,
            "valid:digest",
            68,
            "invalid:raw",
            2253,
            "invalid:digest",
            2253,
            "acceptable:raw",
            9,
            "acceptable:digest",
            9));
  }

  @Test
  void sign_deterministicVectors_reproduceTheSignatureRawAndDigest() {
    VectorTally tally = new VectorTally();
    for (String size : SIZES) {
      String file = "rsa_pkcs1_" + size + "_sig_gen_test.json";
      KeySpec spec = KeySpec.valueOf("RSA_" + size);
      VectorTally.forEachCase(
          file,
          "rsassa_pkcs1_generate_schema_v1.json",
          (group, test) -> {
            String sha = group.get("sha").asText();
            if (!Arrays.asList("SHA-256", "SHA-384", "SHA-512").contains(sha)) {
              tally.count("notAnAwsHash");
              return;
            }
            String label = VectorTally.label(file, test);
            SigningAlgorithm algorithm = algorithm(sha);
            PrivateKey key = FipsKeyPairs.privateKey(spec, hex(group, "privateKeyPkcs8"));
            byte[] msg = hex(test, "msg");
            String result = test.get("result").asText();
            for (MessageType type : new MessageType[] {MessageType.RAW, MessageType.DIGEST}) {
              byte[] input =
                  type == MessageType.RAW ? msg : EcdsaWycheproofTest.sha(algorithm, msg);
              String category = result + ":" + type;
              try {
                byte[] signature = FipsSignatures.sign(algorithm, key, input, type);
                // acceptable = SmallPublicKey (e = 3): signed like the valid ones (class comment).
                tally.expect(
                    category, label + " " + type, true, Arrays.equals(hex(test, "sig"), signature));
              } catch (java.security.GeneralSecurityException e) {
                tally.mismatch(label + " " + type, "threw " + e);
              }
            }
          });
    }
    tally.assertClean(
        Map.of(
            "valid:RAW",
            72,
            "valid:DIGEST",
            72,
            "acceptable:RAW",
            5,
            "acceptable:DIGEST",
            5,
            "notAnAwsHash",
            16));
  }
}
