package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The bearer token set by {@link KmsClients}' interceptor reaches the server and is what
 * authenticates the caller: without it, or with a forged one, the server answers the AWS
 * authentication errors.
 */
class AuthenticationTest {

  @Test
  void request_withBearerToken_isAuthenticatedAsAccountRoot() {
    try (KmsClient kms = KmsClients.client()) {
      var key = Fixtures.newKey(kms, "e2e auth").keyId();
      var metadata = kms.describeKey(b -> b.keyId(key)).keyMetadata();
      assertEquals(KmsClients.accountId(), metadata.awsAccountId());
    }
  }

  @Test
  void request_withoutAuthorization_isMissingAuthenticationToken() {
    try (KmsClient kms = KmsClients.unauthenticatedClient()) {
      KmsException e =
          assertKmsError(
              "MissingAuthenticationTokenException", () -> kms.listKeys(b -> b.limit(1)));
      assertEquals(403, e.statusCode());
    }
  }

  @Test
  void request_withForgedToken_isUnrecognizedClient() {
    String[] parts = KmsClients.token().split("\\.");
    // Same header and claims, another signature.
    String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    try (KmsClient kms = KmsClients.client(forged)) {
      KmsException e =
          assertKmsError("UnrecognizedClientException", () -> kms.listKeys(b -> b.limit(1)));
      assertTrue(e.statusCode() >= 400 && e.statusCode() < 500, "status " + e.statusCode());
    }
  }

  @Test
  void request_withGarbageToken_isUnrecognizedClient() {
    try (KmsClient kms = KmsClients.client("not-a-jwt")) {
      assertKmsError("UnrecognizedClientException", () -> kms.listKeys(b -> b.limit(1)));
    }
  }
}
