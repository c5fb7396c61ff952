package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Encrypt and Decrypt with RSA ENCRYPT_DECRYPT keys (AWS KMS API Reference, Encrypt/Decrypt):
 * RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256, AWS's plaintext limits, no encryption context, KeyId and
 * algorithm required to decrypt; ciphertexts made locally by the JDK with GetPublicKey's key
 * decrypt through Decrypt.
 */
@QuarkusTest
class RsaEncryptionTest {
  private static final KmsApi KMS = KmsApi.newAccount();
  private static final Map<String, String> KEYS = new HashMap<>();

  private static String key(String spec) {
    return KEYS.computeIfAbsent(spec, s -> KMS.createKey(s, "ENCRYPT_DECRYPT"));
  }

  private static Map<String, Object> encryptRequest(
      String keyId, byte[] plaintext, String algorithm) {
    return Map.of(
        "KeyId", keyId, "Plaintext", KmsApi.b64(plaintext), "EncryptionAlgorithm", algorithm);
  }

  private static byte[] decrypt(String keyId, byte[] ciphertext, String algorithm) {
    String plaintext =
        KMS.call(
                "Decrypt",
                Map.of(
                    "KeyId",
                    keyId,
                    "CiphertextBlob",
                    KmsApi.b64(ciphertext),
                    "EncryptionAlgorithm",
                    algorithm))
            .statusCode(200)
            .body("KeyId", equalTo(KMS.arnOf(keyId)))
            .body("EncryptionAlgorithm", equalTo(algorithm))
            .extract()
            .path("Plaintext");
    return KmsApi.unb64(plaintext);
  }

  /** The JDK's own RSA-OAEP (SunJCE), with MGF1 set explicitly to the OAEP hash as AWS uses it. */
  private static byte[] jdkEncrypt(String keyId, String hash, byte[] plaintext) throws Exception {
    byte[] der =
        KmsApi.unb64(
            KMS.call("GetPublicKey", Map.of("KeyId", keyId))
                .statusCode(200)
                .extract()
                .path("PublicKey"));
    PublicKey key =
        KeyFactory.getInstance("RSA", "SunRsaSign").generatePublic(new X509EncodedKeySpec(der));
    Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding", "SunJCE");
    cipher.init(
        Cipher.ENCRYPT_MODE,
        key,
        new OAEPParameterSpec(
            hash, "MGF1", new MGF1ParameterSpec(hash), PSource.PSpecified.DEFAULT));
    return cipher.doFinal(plaintext);
  }

  // Recorded from AWS: "Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot encrypt data
  // larger than 214 bytes." (190 for SHA-256; 342/318 for 3072, 470/446 for 4096).
  @ParameterizedTest
  @CsvSource({
    "RSA_2048, RSAES_OAEP_SHA_1, 214", "RSA_2048, RSAES_OAEP_SHA_256, 190",
    "RSA_4096, RSAES_OAEP_SHA_1, 470", "RSA_4096, RSAES_OAEP_SHA_256, 446"
  })
  void encrypt_atTheLimit_roundTripsAndOneMoreByteIsRefused(
      String spec, String algorithm, int limit) {
    String keyId = key(spec);
    byte[] plaintext = new byte[limit];
    plaintext[0] = 7;
    String blob =
        KMS.call("Encrypt", encryptRequest(keyId, plaintext, algorithm))
            .statusCode(200)
            .body("EncryptionAlgorithm", equalTo(algorithm))
            .body("KeyId", equalTo(KMS.arnOf(keyId)))
            .extract()
            .path("CiphertextBlob");
    assertEquals(
        Integer.parseInt(spec.substring(4)) / 8, KmsApi.unb64(blob).length, "bare OAEP output");
    assertArrayEquals(plaintext, decrypt(keyId, KmsApi.unb64(blob), algorithm));
    KMS.call("Encrypt", encryptRequest(keyId, new byte[limit + 1], algorithm))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body(
            "message",
            equalTo(
                "Algorithm "
                    + algorithm
                    + " and key spec "
                    + spec
                    + " cannot encrypt data larger than "
                    + limit
                    + " bytes."));
  }

  @Test
  void decrypt_ciphertextMadeByTheJdkWithThePublicKey_returnsPlaintext() throws Exception {
    String keyId = key("RSA_2048");
    byte[] secret =
        "wrapped locally, opened in KMS".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertArrayEquals(
        secret, decrypt(keyId, jdkEncrypt(keyId, "SHA-256", secret), "RSAES_OAEP_SHA_256"));
    assertArrayEquals(
        secret, decrypt(keyId, jdkEncrypt(keyId, "SHA-1", secret), "RSAES_OAEP_SHA_1"));
  }

  @Test
  void decrypt_wrongAlgorithmOrTamperedCiphertext_invalidCiphertext() throws Exception {
    String keyId = key("RSA_2048");
    byte[] ciphertext = jdkEncrypt(keyId, "SHA-256", new byte[] {1, 2, 3});
    byte[] tampered = ciphertext.clone();
    tampered[10] ^= 1;
    for (Map<String, Object> request :
        java.util.List.<Map<String, Object>>of(
            Map.of(
                "KeyId",
                keyId,
                "CiphertextBlob",
                KmsApi.b64(ciphertext),
                "EncryptionAlgorithm",
                "RSAES_OAEP_SHA_1"),
            Map.of(
                "KeyId",
                keyId,
                "CiphertextBlob",
                KmsApi.b64(tampered),
                "EncryptionAlgorithm",
                "RSAES_OAEP_SHA_256"),
            Map.of(
                "KeyId",
                keyId,
                "CiphertextBlob",
                KmsApi.b64(new byte[] {1}),
                "EncryptionAlgorithm",
                "RSAES_OAEP_SHA_256"),
            // Without KeyId the blob is read as a symmetric ciphertext.
            Map.of(
                "CiphertextBlob",
                KmsApi.b64(ciphertext),
                "EncryptionAlgorithm",
                "RSAES_OAEP_SHA_256"))) {
      KMS.call("Decrypt", request)
          .statusCode(400)
          .body("__type", equalTo("InvalidCiphertextException"))
          .body("message", nullValue());
    }
  }

  // AWS KMS API Reference, Encrypt: EncryptionAlgorithm is required for asymmetric keys (the
  // default SYMMETRIC_DEFAULT is not theirs), and the encryption context is for symmetric keys
  // only.
  @Test
  void encrypt_missingAlgorithmOrWithContext_refused() {
    String keyId = key("RSA_2048");
    KMS.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", KmsApi.b64(new byte[] {1})))
        .statusCode(400)
        .body("__type", equalTo("InvalidKeyUsageException"))
        .body(
            "message",
            equalTo("Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048."));
    KMS.call(
            "Encrypt",
            Map.of(
                "KeyId",
                keyId,
                "Plaintext",
                KmsApi.b64(new byte[] {1}),
                "EncryptionAlgorithm",
                "RSAES_OAEP_SHA_256",
                "EncryptionContext",
                Map.of("a", "b")))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    // An RSA algorithm on a symmetric key.
    KMS.call("Encrypt", encryptRequest(KMS.createKey(), new byte[] {1}, "RSAES_OAEP_SHA_1"))
        .statusCode(400)
        .body("__type", equalTo("InvalidKeyUsageException"));
    // A signing key cannot encrypt (recorded: "... key usage is SIGN_VERIFY which is not valid for
    // Encrypt.").
    String signing = KMS.createKey("ECC_NIST_P256", "SIGN_VERIFY");
    KMS.call("Encrypt", encryptRequest(signing, new byte[] {1}, "RSAES_OAEP_SHA_1"))
        .statusCode(400)
        .body(
            "message",
            equalTo(
                KMS.arnOf(signing) + " key usage is SIGN_VERIFY which is not valid for Encrypt."));
  }

  // Data keys are encrypted only under symmetric encryption keys.
  @Test
  void generateDataKey_rsaKey_invalidKeyUsage() {
    String keyId = key("RSA_2048");
    KMS.call("GenerateDataKey", Map.of("KeyId", keyId, "KeySpec", "AES_256"))
        .statusCode(400)
        .body("__type", equalTo("InvalidKeyUsageException"))
        .body(
            "message",
            equalTo(
                KMS.arnOf(keyId)
                    + " key spec is RSA_2048 which is not valid for GenerateDataKey."));
  }

  @Test
  void reEncrypt_symmetricToRsaAndBack_keepsThePlaintext() {
    String rsa = key("RSA_2048");
    String symmetric = KMS.createKey();
    byte[] secret = {9, 8, 7};
    String blob =
        KMS.call("Encrypt", Map.of("KeyId", symmetric, "Plaintext", KmsApi.b64(secret)))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");
    String toRsa =
        KMS.call(
                "ReEncrypt",
                Map.of(
                    "CiphertextBlob",
                    blob,
                    "DestinationKeyId",
                    rsa,
                    "DestinationEncryptionAlgorithm",
                    "RSAES_OAEP_SHA_256"))
            .statusCode(200)
            .body("SourceEncryptionAlgorithm", equalTo("SYMMETRIC_DEFAULT"))
            .body("DestinationEncryptionAlgorithm", equalTo("RSAES_OAEP_SHA_256"))
            .extract()
            .path("CiphertextBlob");
    String back =
        KMS.call(
                "ReEncrypt",
                Map.of(
                    "CiphertextBlob",
                    toRsa,
                    "SourceKeyId",
                    rsa,
                    "SourceEncryptionAlgorithm",
                    "RSAES_OAEP_SHA_256",
                    "DestinationKeyId",
                    symmetric))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");
    KMS.call("Decrypt", Map.of("CiphertextBlob", back))
        .statusCode(200)
        .body("Plaintext", equalTo(KmsApi.b64(secret)));
  }
}
