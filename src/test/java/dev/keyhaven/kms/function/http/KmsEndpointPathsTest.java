package dev.keyhaven.kms.function.http;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.parsing.Parser;
import org.junit.jupiter.api.Test;

/**
 * The server answers every operation on {@code POST /} and on the admin function's route {@code
 * POST /admin} (and {@code /admin/}), so the deployed split's URLs also work against {@code ./kms
 * dev}; the path never selects operations, the build does (docs/serverless.md).
 */
@QuarkusTest
class KmsEndpointPathsTest {

  @Test
  void adminPath_servesAdminAndCryptoOperations_inTheServer() {
    KmsApi caller = KmsApi.newAccount();
    for (String path : new String[] {"/admin", "/admin/"}) {
      String keyId =
          KmsApi.request()
              .header("Authorization", "Bearer " + caller.token())
              .header("X-Amz-Target", "TrentService.CreateKey")
              .contentType(KmsApi.CONTENT_TYPE)
              .body("{}")
              .post(path)
              .then()
              .parser(KmsApi.CONTENT_TYPE, Parser.JSON)
              .statusCode(200)
              .body("KeyMetadata.Arn", startsWith("arn:aws:kms:us-east-1:" + caller.accountId()))
              .extract()
              .path("KeyMetadata.KeyId");
      KmsApi.request()
          .header("Authorization", "Bearer " + caller.token())
          .header("X-Amz-Target", "TrentService.Encrypt")
          .contentType(KmsApi.CONTENT_TYPE)
          .body("{\"KeyId\":\"" + keyId + "\",\"Plaintext\":\"AQ==\"}")
          .post(path)
          .then()
          .parser(KmsApi.CONTENT_TYPE, Parser.JSON)
          .statusCode(200)
          .body("KeyId", equalTo("arn:aws:kms:us-east-1:" + caller.accountId() + ":key/" + keyId));
    }
  }

  @Test
  void otherPath_notFound() {
    KmsApi caller = KmsApi.newAccount();
    KmsApi.request()
        .header("Authorization", "Bearer " + caller.token())
        .header("X-Amz-Target", "TrentService.ListKeys")
        .contentType(KmsApi.CONTENT_TYPE)
        .body("{}")
        .post("/administrator")
        .then()
        .statusCode(404);
  }
}
