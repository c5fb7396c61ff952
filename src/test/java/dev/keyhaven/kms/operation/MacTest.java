package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GenerateMac and VerifyMac with HMAC_224/256/384/512 keys (AWS KMS API Reference). */
@QuarkusTest
class MacTest {
  private static final KmsApi KMS = KmsApi.newAccount();
  private static final String MESSAGE = KmsApi.b64("the message".getBytes(StandardCharsets.UTF_8));

  private static String mac(String keyId, String algorithm, String message) {
    return KMS.call(
            "GenerateMac", Map.of("KeyId", keyId, "MacAlgorithm", algorithm, "Message", message))
        .statusCode(200)
        .body("KeyId", equalTo(KMS.arnOf(keyId)))
        .body("MacAlgorithm", equalTo(algorithm))
        .extract()
        .path("Mac");
  }

  @ParameterizedTest
  @CsvSource({
    "HMAC_224, HMAC_SHA_224, 28",
    "HMAC_256, HMAC_SHA_256, 32",
    "HMAC_384, HMAC_SHA_384, 48",
    "HMAC_512, HMAC_SHA_512, 64"
  })
  void generateMac_eachSpec_verifiesAndIsDeterministic(String spec, String algorithm, int length) {
    String keyId = KMS.createKey(spec, "GENERATE_VERIFY_MAC");
    String mac = mac(keyId, algorithm, MESSAGE);
    assertEquals(length, KmsApi.unb64(mac).length);
    assertEquals(mac, mac(keyId, algorithm, MESSAGE), "HMAC is deterministic");
    assertNotEquals(mac, mac(keyId, algorithm, KmsApi.b64(new byte[] {1})));
    KMS.call(
            "VerifyMac",
            Map.of("KeyId", keyId, "MacAlgorithm", algorithm, "Message", MESSAGE, "Mac", mac))
        .statusCode(200)
        .body("MacValid", equalTo(true))
        .body("KeyId", equalTo(KMS.arnOf(keyId)))
        .body("MacAlgorithm", equalTo(algorithm));
    // Another key of the same spec makes another MAC.
    assertNotEquals(mac, mac(KMS.createKey(spec, "GENERATE_VERIFY_MAC"), algorithm, MESSAGE));
  }

  // AWS KMS API Reference, VerifyMac: a MAC that does not verify is KMSInvalidMacException.
  @Test
  void verifyMac_tamperedTruncatedOrOtherMessage_kmsInvalidMac() {
    String keyId = KMS.createKey("HMAC_256", "GENERATE_VERIFY_MAC");
    byte[] mac = KmsApi.unb64(mac(keyId, "HMAC_SHA_256", MESSAGE));
    byte[] tampered = mac.clone();
    tampered[0] ^= 1;
    byte[] truncated = java.util.Arrays.copyOf(mac, 16);
    for (Map<String, Object> request :
        java.util.List.<Map<String, Object>>of(
            Map.of(
                "KeyId",
                keyId,
                "MacAlgorithm",
                "HMAC_SHA_256",
                "Message",
                MESSAGE,
                "Mac",
                KmsApi.b64(tampered)),
            Map.of(
                "KeyId",
                keyId,
                "MacAlgorithm",
                "HMAC_SHA_256",
                "Message",
                MESSAGE,
                "Mac",
                KmsApi.b64(truncated)),
            Map.of(
                "KeyId",
                keyId,
                "MacAlgorithm",
                "HMAC_SHA_256",
                "Message",
                KmsApi.b64(new byte[] {2}),
                "Mac",
                KmsApi.b64(mac)))) {
      KMS.call("VerifyMac", request)
          .statusCode(400)
          .body("__type", equalTo("KMSInvalidMacException"))
          .body("message", nullValue());
    }
  }

  // Recorded from AWS: "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224." and the
  // enum validation of MacAlgorithm; a symmetric key "... is not valid for GenerateMac."
  @Test
  void generateMac_wrongAlgorithmOrKey_awsErrors() {
    String keyId = KMS.createKey("HMAC_224", "GENERATE_VERIFY_MAC");
    KMS.call(
            "GenerateMac",
            Map.of("KeyId", keyId, "MacAlgorithm", "HMAC_SHA_256", "Message", MESSAGE))
        .statusCode(400)
        .body("__type", equalTo("InvalidKeyUsageException"))
        .body("message", equalTo("Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224."));
    KMS.call("GenerateMac", Map.of("KeyId", keyId, "MacAlgorithm", "INVALID", "Message", MESSAGE))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    String symmetric = KMS.createKey();
    KMS.call(
            "GenerateMac",
            Map.of("KeyId", symmetric, "MacAlgorithm", "HMAC_SHA_256", "Message", MESSAGE))
        .statusCode(400)
        .body(
            "message",
            equalTo(
                KMS.arnOf(symmetric)
                    + " key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac."));
    KMS.call(
            "GenerateMac",
            Map.of(
                "KeyId",
                keyId,
                "MacAlgorithm",
                "HMAC_SHA_224",
                "Message",
                KmsApi.b64(new byte[4097])))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    // HMAC keys have no public key.
    KMS.call("GetPublicKey", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("UnsupportedOperationException"));
  }
}
