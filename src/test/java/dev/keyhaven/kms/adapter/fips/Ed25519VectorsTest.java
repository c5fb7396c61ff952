package dev.keyhaven.kms.adapter.fips;

import static dev.keyhaven.kms.adapter.fips.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.EdDSAParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Known-answer Ed25519 and Ed25519ph vectors through the production path ({@link
 * FipsAsymmetricCrypto}: the private key in the RFC 8410 PKCS#8 form Keyhaven stores, its public
 * key computed as ImportKeyMaterial does, Sign and Verify as the operations call them). Ed25519 is
 * deterministic, so each signature must equal the vector's byte for byte; each must also verify,
 * and a signature with one bit flipped must not. ED25519_SHA_512 signs the RAW message;
 * ED25519_PH_SHA_512 signs the SHA-512 DIGEST of the message, and must equal RFC 8032's Ed25519ph
 * of the message. The JDK's SunEC verifies each vector too (Ed25519ph over the message itself).
 *
 * <ul>
 *   <li>{@code rfc8032/ed25519_rfc8032.json}: RFC 8032 §7.1 TEST 1, 2, 3 and SHA(abc) (Ed25519) and
 *       §7.3 TEST abc (Ed25519ph) — 5 cases;
 *   <li>{@code pyca/ed25519_sign_input_first256.txt}: the first 256 lines of the Ed25519 {@code
 *       sign.input} file (messages of 0 to 255 bytes), each also verified by the JDK's SunEC.
 * </ul>
 */
class Ed25519VectorsTest {
  private static final KeySpec SPEC = KeySpec.ECC_NIST_EDWARDS25519;
  private final FipsAsymmetricCrypto crypto = new FipsAsymmetricCrypto(true, true);

  @BeforeAll
  static void approvedOnly() {
    assertTrue(Fips.isApprovedOnlyMode(), "surefire must start the JVM in approved-only mode");
  }

  /** Signs, compares, verifies, and refuses a flipped signature; returns the mismatch or null. */
  private String check(
      byte[] seed, byte[] point, SigningAlgorithm algorithm, byte[] message, byte[] expected) {
    SecretBytes privateKey = SecretBytes.adopt(FipsEd25519.pkcs8(seed));
    byte[] publicKey = crypto.publicKeyOf(SPEC, KeyUsage.SIGN_VERIFY, privateKey);
    if (!java.util.Arrays.equals(FipsEd25519.spki(point), publicKey)) {
      return "public key " + hex(publicKey);
    }
    MessageType type =
        algorithm == SigningAlgorithm.ED25519_PH_SHA_512 ? MessageType.DIGEST : MessageType.RAW;
    byte[] input = type == MessageType.DIGEST ? sha512(message) : message;
    byte[] signature = crypto.sign(SPEC, algorithm, privateKey, input, type);
    if (!java.util.Arrays.equals(expected, signature)) {
      return "signature " + hex(signature);
    }
    if (!crypto.verify(SPEC, algorithm, publicKey, input, type, expected)) {
      return "its own vector signature rejected";
    }
    byte[] flipped = expected.clone();
    flipped[5] ^= 0x10;
    if (crypto.verify(SPEC, algorithm, publicKey, input, type, flipped)) {
      return "a flipped signature accepted";
    }
    return null;
  }

  @Test
  void rfc8032_ed25519AndEd25519ph_signaturesEqualTheRfcs() throws Exception {
    JsonNode root = TestVectors.json("rfc8032/ed25519_rfc8032.json");
    VectorTally tally = new VectorTally();
    for (JsonNode test : root.get("tests")) {
      SigningAlgorithm algorithm =
          test.get("algorithm").asText().equals("Ed25519ph")
              ? SigningAlgorithm.ED25519_PH_SHA_512
              : SigningAlgorithm.ED25519_SHA_512;
      tally.count(algorithm.wireName());
      String problem =
          check(
              hex(test, "secretKey"),
              hex(test, "publicKey"),
              algorithm,
              hex(test, "message"),
              hex(test, "signature"));
      if (problem != null) {
        tally.mismatch(test.get("name").asText(), problem);
      } else if (!jdkVerifies(
          FipsEd25519.spki(hex(test, "publicKey")),
          hex(test, "message"),
          hex(test, "signature"),
          algorithm == SigningAlgorithm.ED25519_PH_SHA_512)) {
        tally.mismatch(test.get("name").asText(), "the JDK rejects it");
      }
    }
    assertEquals(5, root.get("numberOfTests").asInt());
    tally.assertClean(Map.of("ED25519_SHA_512", 4, "ED25519_PH_SHA_512", 1));
  }

  // sign.input line: sk||pk : pk : message : signature||message : (hex).
  @Test
  void signInput_first256_signaturesEqualAndTheJdkVerifies() throws Exception {
    String text =
        new String(
            TestVectors.content("pyca/ed25519_sign_input_first256.txt"), StandardCharsets.US_ASCII);
    VectorTally tally = new VectorTally();
    for (String line : text.split("\n")) {
      String[] fields = line.split(":", -1);
      byte[] seed = hex(fields[0].substring(0, 64));
      byte[] point = hex(fields[1]);
      byte[] message = hex(fields[2]);
      byte[] signature = hex(fields[3].substring(0, 128));
      tally.count("sign.input");
      String label = "sign.input message of " + message.length + " bytes";
      String problem = check(seed, point, SigningAlgorithm.ED25519_SHA_512, message, signature);
      if (problem != null) {
        tally.mismatch(label, problem);
      } else if (!jdkVerifies(FipsEd25519.spki(point), message, signature, false)) {
        tally.mismatch(label, "the JDK rejects it");
      }
    }
    tally.assertClean(Map.of("sign.input", 256));
  }

  // kms.fips.prehashed-ed25519=false: ED25519_PH_SHA_512 (outside the module's approved services)
  // is refused in Sign and Verify; ED25519_SHA_512 stays served (docs/fips.md).
  @Test
  void prehashedEd25519TurnedOff_onlyEd25519phRefused() {
    FipsAsymmetricCrypto strict = new FipsAsymmetricCrypto(true, false);
    var pair = FipsKeyPairs.generate(SPEC);
    byte[] digest = new byte[64];
    for (org.junit.jupiter.api.function.Executable call :
        new org.junit.jupiter.api.function.Executable[] {
          () ->
              strict.sign(
                  SPEC,
                  SigningAlgorithm.ED25519_PH_SHA_512,
                  pair.privateKey(),
                  digest,
                  MessageType.DIGEST),
          () ->
              strict.verify(
                  SPEC,
                  SigningAlgorithm.ED25519_PH_SHA_512,
                  pair.publicKey(),
                  digest,
                  MessageType.DIGEST,
                  new byte[64])
        }) {
      var refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              dev.keyhaven.kms.domain.error.KmsException.class, call);
      assertEquals(dev.keyhaven.kms.domain.error.ErrorCode.UNSUPPORTED_OPERATION, refused.code());
    }
    byte[] pure =
        strict.sign(
            SPEC, SigningAlgorithm.ED25519_SHA_512, pair.privateKey(), digest, MessageType.RAW);
    assertTrue(
        strict.verify(
            SPEC,
            SigningAlgorithm.ED25519_SHA_512,
            pair.publicKey(),
            digest,
            MessageType.RAW,
            pure));
  }

  /** The JDK's own Ed25519 (SunEC): PureEdDSA, or Ed25519ph over the message when prehash. */
  static boolean jdkVerifies(byte[] spki, byte[] message, byte[] signature, boolean prehash)
      throws Exception {
    Signature jdk = Signature.getInstance("Ed25519", "SunEC");
    jdk.setParameter(new EdDSAParameterSpec(prehash));
    jdk.initVerify(
        KeyFactory.getInstance("Ed25519", "SunEC").generatePublic(new X509EncodedKeySpec(spki)));
    jdk.update(message);
    return jdk.verify(signature);
  }

  static byte[] sha512(byte[] message) {
    try {
      return MessageDigest.getInstance("SHA-512", Fips.PROVIDER).digest(message);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
