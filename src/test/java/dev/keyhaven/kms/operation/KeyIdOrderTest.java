package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * KeyId members are decoded into a {@code KeyReference} by the codec, yet text of no key form is
 * still answered where AWS answers it: NotFoundException {@code Invalid keyId '<text>'} when the
 * operation resolves the key — after every member rule, after the operation's own checks, and, for
 * ReEncrypt's destination, after the source ciphertext was opened. A KeyId that is no JSON string
 * is a SerializationException, as for any string member.
 */
@QuarkusTest
class KeyIdOrderTest {
  private final KmsApi kms = KmsApi.newAccount();

  @Test
  void encrypt_malformedKeyIdAndNoPlaintext_memberRuleFirst() {
    kms.call("Encrypt", Map.of("KeyId", "not-a-key"))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body(
            "message",
            equalTo(
                "1 validation error detected: Value null at 'plaintext' failed to satisfy"
                    + " constraint: Member must not be null"));
    kms.call("Encrypt", Map.of("KeyId", "not-a-key", "Plaintext", KmsApi.b64(new byte[] {1})))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"))
        .body("message", equalTo("Invalid keyId 'not-a-key'"));
  }

  @Test
  void generateDataKey_malformedKeyIdWithoutSpec_operationsOwnCheckFirst() {
    kms.call("GenerateDataKey", Map.of("KeyId", "not-a-key"))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body("message", equalTo("Please specify either number of bytes or key spec."));
  }

  @Test
  void reEncrypt_malformedDestination_answeredAfterTheSourceCiphertext() {
    kms.call(
            "ReEncrypt",
            Map.of(
                "CiphertextBlob",
                KmsApi.b64(new byte[] {1, 2, 3}),
                "DestinationKeyId",
                "not-a-key"))
        .statusCode(400)
        .body("__type", equalTo("InvalidCiphertextException"));
  }

  @Test
  void enableKey_aliasWhereOnlyKeysAccepted_invalidKeyId() {
    kms.call("EnableKey", Map.of("KeyId", "alias/not-here"))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"))
        .body("message", equalTo("Invalid keyId 'alias/not-here'"));
  }

  @Test
  void describeKey_keyIdNotAString_serializationException() {
    kms.callRaw("DescribeKey", "{\"KeyId\":5}")
        .statusCode(400)
        .body("__type", equalTo("SerializationException"));
    kms.callRaw("DescribeKey", "{\"KeyId\":[\"alias/x\"]}")
        .statusCode(400)
        .body("__type", equalTo("SerializationException"));
  }
}
