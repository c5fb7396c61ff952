package dev.keyhaven.kms.function.lambda.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyhaven.kms.function.lambda.LambdaInvoker;
import dev.keyhaven.kms.function.lambda.PackagedDatabase;
import dev.keyhaven.kms.function.lambda.PackagedFunction;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged crypto function ({@code target/lambda-crypto/function.zip}) in a JVM of its own,
 * driven as Lambda's java21 runtime drives it, with only a deployment's environment: it refuses to
 * start on a schema that is behind (it never migrates), and once migrated answers the sam-local
 * events — a data-plane call reaches its operation, an admin call is refused naming the admin
 * function. The twin of {@link CryptoFunctionTest} for the artifact itself.
 */
class CryptoFunctionIT {

  @Test
  void packagedArtifact_unmigratedSchema_refusesToStart_thenServesItsPlaneOnly() throws Exception {
    try (PackagedDatabase deployment = PackagedDatabase.start()) {
      AssertionError refused =
          assertThrows(
              AssertionError.class, () -> PackagedFunction.start(deployment.environment()));
      assertTrue(refused.getMessage().contains("migration(s) pending"), refused.getMessage());

      deployment.migrate();
      String token = deployment.token("arn:aws:iam::111122223333:root");
      try (PackagedFunction crypto = PackagedFunction.start(deployment.environment())) {
        String keyId = UUID.randomUUID().toString();
        JsonNode encrypt =
            crypto.invoke(
                LambdaInvoker.event(
                    "encrypt.json", Map.of("KMS_TOKEN", token, "KMS_KEY_ID", keyId)));
        assertEquals(400, encrypt.get("statusCode").asInt(), encrypt + "\n" + crypto.log());
        assertEquals("NotFoundException", LambdaInvoker.body(encrypt).get("__type").asText());

        JsonNode createKey =
            crypto.invoke(LambdaInvoker.event("create-key.json", Map.of("KMS_TOKEN", token)));
        assertEquals(400, createKey.get("statusCode").asInt(), createKey.toString());
        assertEquals(
            "CreateKey is not served by this endpoint (Keyhaven's crypto function). Send it to the"
                + " admin function: POST /admin of this API",
            LambdaInvoker.body(createKey).get("message").asText());
      }
    }
  }
}
