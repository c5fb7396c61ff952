package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext (AWS KMS API Reference): a pair for
 * use outside KMS, the private key (PKCS#8 DER) in plaintext and encrypted under a symmetric KMS
 * key with the encryption context; the JDK loads and uses both halves.
 */
@QuarkusTest
class DataKeyPairTest {
  private static final KmsApi KMS = KmsApi.newAccount();
  private static final Map<String, String> CONTEXT = Map.of("purpose", "device-identity");

  @ParameterizedTest
  @CsvSource({
    "RSA_2048, RSA, SHA256withRSA, SunRsaSign",
    "ECC_NIST_P256, EC, SHA256withECDSA, SunEC",
    "ECC_NIST_P521, EC, SHA512withECDSA, SunEC",
    "ECC_NIST_EDWARDS25519, Ed25519, Ed25519, SunEC"
  })
  void generateDataKeyPair_jdkUsesThePairAndDecryptReturnsThePrivateKey(
      String spec, String algorithm, String signature, String provider) throws Exception {
    String keyId = KMS.createKey();
    JsonPath answer =
        KMS.call(
                "GenerateDataKeyPair",
                Map.of("KeyId", keyId, "KeyPairSpec", spec, "EncryptionContext", CONTEXT))
            .statusCode(200)
            .body("KeyId", equalTo(KMS.arnOf(keyId)))
            .body("KeyPairSpec", equalTo(spec))
            .extract()
            .jsonPath();
    byte[] privateDer = KmsApi.unb64(answer.getString("PrivateKeyPlaintext"));
    KeyFactory factory = KeyFactory.getInstance(algorithm, provider);
    PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(privateDer));
    PublicKey publicKey =
        factory.generatePublic(new X509EncodedKeySpec(KmsApi.unb64(answer.getString("PublicKey"))));
    Signature signer = Signature.getInstance(signature, provider);
    signer.initSign(privateKey);
    signer.update(new byte[] {1, 2, 3});
    byte[] sig = signer.sign();
    signer.initVerify(publicKey);
    signer.update(new byte[] {1, 2, 3});
    assertTrue(signer.verify(sig), "the two halves are one pair");
    String opened =
        KMS.call(
                "Decrypt",
                Map.of(
                    "CiphertextBlob",
                    answer.getString("PrivateKeyCiphertextBlob"),
                    "EncryptionContext",
                    CONTEXT))
            .statusCode(200)
            .extract()
            .path("Plaintext");
    assertArrayEquals(privateDer, KmsApi.unb64(opened));
    KMS.call("Decrypt", Map.of("CiphertextBlob", answer.getString("PrivateKeyCiphertextBlob")))
        .statusCode(400)
        .body("__type", equalTo("InvalidCiphertextException"));
  }

  @Test
  void generateDataKeyPairWithoutPlaintext_secp256k1_noPlaintextAndDecryptable() {
    String keyId = KMS.createKey();
    JsonPath answer =
        KMS.call(
                "GenerateDataKeyPairWithoutPlaintext",
                Map.of("KeyId", keyId, "KeyPairSpec", "ECC_SECG_P256K1"))
            .statusCode(200)
            .body("PrivateKeyPlaintext", nullValue())
            .body("KeyPairSpec", equalTo("ECC_SECG_P256K1"))
            .extract()
            .jsonPath();
    KMS.call("Decrypt", Map.of("CiphertextBlob", answer.getString("PrivateKeyCiphertextBlob")))
        .statusCode(200);
  }

  @Test
  void generateDataKeyPair_asymmetricKeyOrUnsupportedSpec_awsErrors() {
    String rsa = KMS.createKey("RSA_2048", "ENCRYPT_DECRYPT");
    KMS.call("GenerateDataKeyPair", Map.of("KeyId", rsa, "KeyPairSpec", "ECC_NIST_P256"))
        .statusCode(400)
        .body("__type", equalTo("InvalidKeyUsageException"));
    String symmetric = KMS.createKey();
    KMS.call("GenerateDataKeyPair", Map.of("KeyId", symmetric, "KeyPairSpec", "SM2"))
        .statusCode(400)
        .body("__type", equalTo("UnsupportedOperationException"));
    KMS.call("GenerateDataKeyPair", Map.of("KeyId", symmetric, "KeyPairSpec", "RSA_1024"))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    KMS.call("GenerateDataKeyPair", Map.of("KeyId", symmetric))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }
}
