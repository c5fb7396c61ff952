package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Map;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DeriveSharedSecret (AWS KMS API Reference): ECDH of a KEY_AGREEMENT key's private key and a
 * peer's public key equals the JDK's own ECDH (SunEC) of the peer's private key and the KMS key's
 * public key (GetPublicKey).
 */
@QuarkusTest
class KeyAgreementTest {
  private static final KmsApi KMS = KmsApi.newAccount();

  private static KeyPair peer(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  private static io.restassured.response.ValidatableResponse derive(
      String keyId, byte[] peerPublicKey) {
    return KMS.call(
        "DeriveSharedSecret",
        Map.of(
            "KeyId",
            keyId,
            "KeyAgreementAlgorithm",
            "ECDH",
            "PublicKey",
            KmsApi.b64(peerPublicKey)));
  }

  @ParameterizedTest
  @CsvSource({"ECC_NIST_P256, secp256r1", "ECC_NIST_P384, secp384r1", "ECC_NIST_P521, secp521r1"})
  void deriveSharedSecret_equalsLocalEcdh(String spec, String curve) throws Exception {
    String keyId = KMS.createKey(spec, "KEY_AGREEMENT");
    KMS.call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyMetadata.KeyAgreementAlgorithms", equalTo(java.util.List.of("ECDH")));
    KeyPair peer = peer(curve);
    byte[] fromKms =
        KmsApi.unb64(
            derive(keyId, peer.getPublic().getEncoded())
                .statusCode(200)
                .body("KeyId", equalTo(KMS.arnOf(keyId)))
                .body("KeyAgreementAlgorithm", equalTo("ECDH"))
                .body("KeyOrigin", equalTo("AWS_KMS"))
                .extract()
                .path("SharedSecret"));
    byte[] kmsPublic =
        KmsApi.unb64(
            KMS.call("GetPublicKey", Map.of("KeyId", keyId))
                .statusCode(200)
                .extract()
                .path("PublicKey"));
    PublicKey kmsKey =
        KeyFactory.getInstance("EC", "SunEC").generatePublic(new X509EncodedKeySpec(kmsPublic));
    KeyAgreement local = KeyAgreement.getInstance("ECDH", "SunEC");
    local.init(peer.getPrivate());
    local.doPhase(kmsKey, true);
    assertArrayEquals(local.generateSecret(), fromKms);
  }

  // Recorded against AWS (issue 26): DeriveSharedSecret with an invalid PublicKey answers
  // ValidationException with an empty message; the reason stays in the server log.
  @Test
  void deriveSharedSecret_peerKeyOnOtherCurveOrGarbage_validationExceptionWithEmptyMessage()
      throws Exception {
    String keyId = KMS.createKey("ECC_NIST_P256", "KEY_AGREEMENT");
    byte[] offCurve = peer("secp256r1").getPublic().getEncoded();
    offCurve[offCurve.length - 1] ^= 1;
    for (byte[] invalid :
        List.of(
            peer("secp384r1").getPublic().getEncoded(), new byte[] {0x30, 0x01, 0x00}, offCurve)) {
      derive(keyId, invalid)
          .statusCode(400)
          .body("__type", equalTo("ValidationException"))
          .body("message", equalTo(""));
    }
  }

  @Test
  void deriveSharedSecret_signingKeyOrWrongAlgorithm_refused() throws Exception {
    String signing = KMS.createKey("ECC_NIST_P256", "SIGN_VERIFY");
    derive(signing, peer("secp256r1").getPublic().getEncoded())
        .statusCode(400)
        .body("__type", equalTo("InvalidKeyUsageException"))
        .body(
            "message",
            equalTo(
                KMS.arnOf(signing)
                    + " key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret."));
    KMS.call(
            "DeriveSharedSecret",
            Map.of(
                "KeyId",
                signing,
                "KeyAgreementAlgorithm",
                "DH",
                "PublicKey",
                KmsApi.b64(new byte[] {1})))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    // secp256k1 keys are for signing only (AWS's matrix).
    KMS.call("CreateKey", Map.of("KeySpec", "ECC_SECG_P256K1", "KeyUsage", "KEY_AGREEMENT"))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body(
            "message",
            equalTo("KeyUsage KEY_AGREEMENT is not compatible with KeySpec ECC_SECG_P256K1"));
  }
}
