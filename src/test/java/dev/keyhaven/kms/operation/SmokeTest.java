package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SmokeTest {
  @Test
  void encryptDecrypt_roundTrip() {
    KmsApi kms = KmsApi.newAccount();
    String keyId = kms.createKey();
    String blob =
        kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", KmsApi.b64("hello".getBytes(StandardCharsets.UTF_8))))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");
    kms.call("Decrypt", Map.of("CiphertextBlob", blob))
        .statusCode(200)
        .body("Plaintext", equalTo(KmsApi.b64("hello".getBytes(StandardCharsets.UTF_8))))
        .body("KeyId", equalTo(kms.arnOf(keyId)));
  }
}
