package dev.keyhaven.kms.adapter.identity;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Access keys (KeyhavenAdmin.CreateAccessKey / ListAccessKeys / DeleteAccessKey) and SigV4 requests
 * through the running service, signed by {@link SpecSigner} (written from the spec, no shared code
 * with the verifier).
 */
@QuarkusTest
class AccessKeyHttpTest {
  private final KmsApi root = KmsApi.newAccount();

  private static ValidatableResponse signed(
      String accessKeyId, String secret, String operation, String body, Instant at) {
    return SignedCalls.signed(accessKeyId, secret, operation, body, at);
  }

  private String[] createAccessKey(String principal) {
    var answer =
        root.callAdmin("CreateAccessKey", Map.of("PrincipalArn", principal))
            .statusCode(200)
            .body("AccessKey.AccessKeyId", matchesPattern("AKIA[A-Z2-7]{16}"))
            .body("AccessKey.PrincipalArn", equalTo(principal))
            .extract();
    return new String[] {
      answer.path("AccessKey.AccessKeyId"), answer.path("AccessKey.SecretAccessKey")
    };
  }

  @Test
  void signedRequest_validAccessKey_authenticatedAsItsPrincipal() {
    String keyId = root.createKey();
    String[] key = createAccessKey("arn:aws:iam::" + root.accountId() + ":root");
    signed(
            key[0],
            key[1],
            "Encrypt",
            "{\"KeyId\":\"" + keyId + "\",\"Plaintext\":\"AQ==\"}",
            Instant.now())
        .statusCode(200)
        .body("KeyId", equalTo(root.arnOf(keyId)));
  }

  @Test
  void signedRequest_roleAccessKey_isTheRole() {
    String keyId = root.createKey();
    String role = "arn:aws:iam::" + root.accountId() + ":role/Signer";
    String[] key = createAccessKey(role);
    signed(
            key[0],
            key[1],
            "Encrypt",
            "{\"KeyId\":\"" + keyId + "\",\"Plaintext\":\"AQ==\"}",
            Instant.now())
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"))
        .body("message", containsString("User: " + role + " "));
  }

  @Test
  void signedRequest_wrongSecretOrStaleDate_rejected() {
    String[] key = createAccessKey("arn:aws:iam::" + root.accountId() + ":root");
    signed(key[0], key[1] + "x", "ListKeys", "{}", Instant.now())
        .statusCode(400)
        .body("__type", equalTo("InvalidSignatureException"));
    signed(key[0], key[1], "ListKeys", "{}", Instant.now().minusSeconds(16 * 60))
        .statusCode(400)
        .body("__type", equalTo("InvalidSignatureException"));
    signed("AKIAUNKNOWNUNKNOWN00", key[1], "ListKeys", "{}", Instant.now())
        .statusCode(400)
        .body("__type", equalTo("UnrecognizedClientException"));
  }

  @Test
  void deleteAccessKey_thenSignedRequest_unrecognizedClient() {
    String[] key = createAccessKey("arn:aws:iam::" + root.accountId() + ":root");
    signed(key[0], key[1], "ListKeys", "{}", Instant.now()).statusCode(200);
    root.callAdmin("ListAccessKeys", Map.of())
        .statusCode(200)
        .body("AccessKeys", hasSize(1))
        .body("AccessKeys[0].AccessKeyId", equalTo(key[0]))
        .body(not(containsString(key[1])));
    root.callAdmin("DeleteAccessKey", Map.of("AccessKeyId", key[0])).statusCode(200);
    signed(key[0], key[1], "ListKeys", "{}", Instant.now())
        .statusCode(400)
        .body("__type", equalTo("UnrecognizedClientException"));
    root.callAdmin("DeleteAccessKey", Map.of("AccessKeyId", key[0]))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
  }

  @Test
  void accessKeyAdmin_rootOnlyAndOwnAccountOnly() {
    String role = "arn:aws:iam::" + root.accountId() + ":role/App";
    root.as(role)
        .callAdmin("CreateAccessKey", Map.of("PrincipalArn", role))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    root.callAdmin("CreateAccessKey", Map.of("PrincipalArn", "arn:aws:iam::999999999999:root"))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    root.callAdmin("CreateAccessKey", Map.of("PrincipalArn", "bob"))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }

  // Local mode only: the well-known test/test pair is the dev account's root (issue: LocalStack-
  // and moto-style suites run unmodified). Lambda builds never set
  // kms.identity.dev-test-credentials.
  @Test
  void signedRequest_devTestCredentialsInLocalMode_rootOfDevAccount() {
    String keyArn =
        signed("test", "test", "CreateKey", "{}", Instant.now())
            .statusCode(200)
            .extract()
            .path("KeyMetadata.Arn");
    org.junit.jupiter.api.Assertions.assertTrue(
        keyArn.startsWith("arn:aws:kms:us-east-1:111122223333:key/"), keyArn);
    signed("test", "wrong", "ListKeys", "{}", Instant.now())
        .statusCode(400)
        .body("__type", equalTo("InvalidSignatureException"));
  }
}
