package dev.keyhaven.kms.function.lambda.admin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.function.lambda.LambdaInvoker;
import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin function (built with {@code -Dfn=admin}) answering the sam-local events of {@code
 * tests/events/} through its real Lambda HTTP handler: CreateKey on {@code POST /admin} works, and
 * a data-plane operation is refused with the error that names the crypto function.
 */
@QuarkusTest
class AdminFunctionTest {

  @Test
  void build_isTheAdminFunction_withoutCryptoOperations() {
    assertEquals(FunctionScope.ADMIN, FunctionScope.current());
    // Its own code is there under the name checked below for the other plane's.
    assertDoesNotThrow(() -> Class.forName("dev.keyhaven.kms.operation.admin.CreateKey"));
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("dev.keyhaven.kms.operation.crypto.Encrypt"));
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("dev.keyhaven.kms.operation.crypto.DescribeKey"));
  }

  @Test
  void createKeyEvent_onAdminRoute_createsTheKey() {
    KmsApi caller = KmsApi.newAccount();
    JsonNode answer =
        LambdaInvoker.invoke(
            LambdaInvoker.event("create-key.json", Map.of("KMS_TOKEN", caller.token())));
    assertEquals(200, answer.get("statusCode").asInt(), answer.toString());
    JsonNode metadata = LambdaInvoker.body(answer).get("KeyMetadata");
    assertTrue(
        metadata
            .get("Arn")
            .asText()
            .startsWith("arn:aws:kms:us-east-1:" + caller.accountId() + ":key/"),
        metadata.toString());
    assertEquals("Enabled", metadata.get("KeyState").asText());
    assertEquals("created through the admin function", metadata.get("Description").asText());
  }

  @Test
  void createKeyEvent_onAdminRouteWithTrailingSlash_createsTheKey() {
    KmsApi caller = KmsApi.newAccount();
    String event =
        LambdaInvoker.event("create-key.json", Map.of("KMS_TOKEN", caller.token()))
            .replace("\"/admin\"", "\"/admin/\"");
    JsonNode answer = LambdaInvoker.invoke(event);
    assertEquals(200, answer.get("statusCode").asInt(), answer.toString());
  }

  @Test
  void encryptEvent_sentToAdmin_refusedNamingTheCryptoFunction() {
    KmsApi caller = KmsApi.newAccount();
    JsonNode answer =
        LambdaInvoker.invoke(
            LambdaInvoker.event(
                "encrypt.json", Map.of("KMS_TOKEN", caller.token(), "KMS_KEY_ID", "alias/x")));
    assertEquals(400, answer.get("statusCode").asInt(), answer.toString());
    JsonNode error = LambdaInvoker.body(answer);
    assertEquals("UnknownOperationException", error.get("__type").asText());
    assertEquals(
        "Encrypt is not served by this endpoint (Keyhaven's admin function). Send it to the"
            + " crypto function: POST / of this API",
        error.get("message").asText());
  }
}
