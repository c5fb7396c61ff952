package dev.keyhaven.kms.adapter.fips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link PrehashedRsaPss} signs what the FIPS module's own PSS verifier accepts, and the other way
 * round: a DIGEST signature verifies as a RAW signature of the message and vice versa, for each
 * hash and each RSA size (with a new random salt every time); a flipped bit in the digest or the
 * signature is refused. Wycheproof vectors check its verifier (RsaPssWycheproofTest).
 */
class PrehashedRsaPssTest {

  @Test
  void signDigest_verifiesAsRawSignatureAndBack_everyHashAndSize() throws Exception {
    byte[] message = "pss over a digest".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (KeySpec spec : new KeySpec[] {KeySpec.RSA_2048, KeySpec.RSA_3072}) {
      var pair = FipsKeyPairs.generate(spec);
      PrivateKey privateKey = FipsKeyPairs.privateKey(spec, pair.privateKey().exposeForCrypto());
      PublicKey publicKey = FipsKeyPairs.publicKey(spec, pair.publicKey());
      for (SigningAlgorithm algorithm :
          new SigningAlgorithm[] {
            SigningAlgorithm.RSASSA_PSS_SHA_256,
            SigningAlgorithm.RSASSA_PSS_SHA_384,
            SigningAlgorithm.RSASSA_PSS_SHA_512
          }) {
        byte[] digest = EcdsaWycheproofTest.sha(algorithm, message);
        byte[] fromDigest = FipsSignatures.sign(algorithm, privateKey, digest, MessageType.DIGEST);
        byte[] fromRaw = FipsSignatures.sign(algorithm, privateKey, message, MessageType.RAW);
        assertEquals(spec.bits() / 8, fromDigest.length);
        assertNotEquals(
            Arrays.toString(fromDigest),
            Arrays.toString(FipsSignatures.sign(algorithm, privateKey, digest, MessageType.DIGEST)),
            "a fresh salt each time");
        assertTrue(
            FipsSignatures.verify(algorithm, publicKey, message, MessageType.RAW, fromDigest),
            algorithm + " module verifies ours");
        assertTrue(
            FipsSignatures.verify(algorithm, publicKey, digest, MessageType.DIGEST, fromRaw),
            algorithm + " ours verifies the module's");
        byte[] badDigest = digest.clone();
        badDigest[0] ^= 1;
        byte[] badSignature = fromDigest.clone();
        badSignature[badSignature.length / 2] ^= 1;
        assertFalse(
            FipsSignatures.verify(algorithm, publicKey, badDigest, MessageType.DIGEST, fromDigest));
        assertFalse(
            FipsSignatures.verify(algorithm, publicKey, digest, MessageType.DIGEST, badSignature));
      }
    }
  }

  // kms.fips.prehashed-pss=false: exactly RSASSA-PSS over a DIGEST is refused (docs/fips.md).
  @Test
  void prehashedPssTurnedOff_onlyPssOverDigestRefused() {
    FipsAsymmetricCrypto strict = new FipsAsymmetricCrypto(false);
    var pair = FipsKeyPairs.generate(KeySpec.RSA_2048);
    byte[] digest = new byte[32];
    var refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.keyhaven.kms.domain.error.KmsException.class,
            () ->
                strict.sign(
                    KeySpec.RSA_2048,
                    SigningAlgorithm.RSASSA_PSS_SHA_256,
                    pair.privateKey(),
                    digest,
                    MessageType.DIGEST));
    assertEquals(dev.keyhaven.kms.domain.error.ErrorCode.UNSUPPORTED_OPERATION, refused.code());
    org.junit.jupiter.api.Assertions.assertThrows(
        dev.keyhaven.kms.domain.error.KmsException.class,
        () ->
            strict.verify(
                KeySpec.RSA_2048,
                SigningAlgorithm.RSASSA_PSS_SHA_256,
                pair.publicKey(),
                digest,
                MessageType.DIGEST,
                new byte[256]));
    byte[] raw =
        strict.sign(
            KeySpec.RSA_2048,
            SigningAlgorithm.RSASSA_PSS_SHA_256,
            pair.privateKey(),
            digest,
            MessageType.RAW);
    assertTrue(
        strict.verify(
            KeySpec.RSA_2048,
            SigningAlgorithm.RSASSA_PSS_SHA_256,
            pair.publicKey(),
            digest,
            MessageType.RAW,
            raw));
    byte[] pkcs1 =
        strict.sign(
            KeySpec.RSA_2048,
            SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256,
            pair.privateKey(),
            digest,
            MessageType.DIGEST);
    assertEquals(256, pkcs1.length);
  }
}
