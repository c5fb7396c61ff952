package dev.keyhaven.kms.function.lambda.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyhaven.kms.function.lambda.LambdaInvoker;
import dev.keyhaven.kms.function.lambda.PackagedDatabase;
import dev.keyhaven.kms.function.lambda.PackagedFunction;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged admin function ({@code target/lambda-admin/function.zip}) in a JVM of its own,
 * driven as Lambda's java21 runtime drives it, with only a deployment's environment: CreateKey
 * works, a data-plane call is refused naming the crypto function. The twin of {@link
 * AdminFunctionTest} for the artifact itself.
 */
class AdminFunctionIT {

  @Test
  void packagedArtifact_createsKeys_andRefusesTheDataPlane() throws Exception {
    try (PackagedDatabase deployment = PackagedDatabase.start()) {
      deployment.migrate();
      String token = deployment.token("arn:aws:iam::111122223333:root");
      try (PackagedFunction admin = PackagedFunction.start(deployment.environment())) {
        JsonNode created =
            admin.invoke(LambdaInvoker.event("create-key.json", Map.of("KMS_TOKEN", token)));
        assertEquals(200, created.get("statusCode").asInt(), created + "\n" + admin.log());
        JsonNode metadata = LambdaInvoker.body(created).get("KeyMetadata");
        assertTrue(
            metadata.get("Arn").asText().startsWith("arn:aws:kms:us-east-1:111122223333:key/"));

        JsonNode encrypt =
            admin.invoke(
                LambdaInvoker.event(
                    "encrypt.json",
                    Map.of("KMS_TOKEN", token, "KMS_KEY_ID", metadata.get("KeyId").asText())));
        assertEquals(400, encrypt.get("statusCode").asInt(), encrypt.toString());
        assertEquals(
            "Encrypt is not served by this endpoint (Keyhaven's admin function). Send it to the"
                + " crypto function: POST / of this API",
            LambdaInvoker.body(encrypt).get("message").asText());
      }
    }
  }
}
