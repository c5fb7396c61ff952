package dev.keyhaven.kms.function.lambda.crypto;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyhaven.kms.adapter.identity.SpecSigner;
import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.Rotation;
import dev.keyhaven.kms.function.lambda.LambdaInvoker;
import dev.keyhaven.kms.function.lambda.TestKeys;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.port.KeyRepository;
import dev.keyhaven.kms.operation.port.Transactions;
import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The crypto function (built with {@code -Dfn=crypto}) answering the sam-local events of {@code
 * tests/events/} through its real Lambda HTTP handler: data-plane operations work, an admin
 * operation is refused with the error that names the admin function, the development {@code
 * test}/{@code test} credentials are refused although this test run's local-mode configuration
 * turns them on, and a request that is no KMS call is audited and answered 405/404.
 */
@QuarkusTest
class CryptoFunctionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Inject KeyRepository keys;
  @Inject KeyMaterials materials;
  @Inject Transactions transactions;

  @Test
  void build_isTheCryptoFunction_withoutAdminOperations() {
    assertEquals(FunctionScope.CRYPTO, FunctionScope.current());
    // Its own code is there under the name checked below for the other plane's.
    assertDoesNotThrow(() -> Class.forName("dev.keyhaven.kms.operation.crypto.Encrypt"));
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("dev.keyhaven.kms.operation.admin.CreateKey"));
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("dev.keyhaven.kms.operation.admin.ListKeys"));
  }

  @Test
  void encryptThenDecryptEvents_answerThroughTheHandler() {
    KmsApi caller = KmsApi.newAccount();
    KmsKey key = TestKeys.create(keys, materials, transactions, caller.accountId(), Rotation.NONE);

    JsonNode encrypted =
        LambdaInvoker.invoke(
            LambdaInvoker.event(
                "encrypt.json",
                Map.of("KMS_TOKEN", caller.token(), "KMS_KEY_ID", key.arn().keyId().toString())));
    assertEquals(200, encrypted.get("statusCode").asInt(), encrypted.toString());
    assertTrue(encrypted.get("headers").has("x-amzn-RequestId"), encrypted.toString());
    JsonNode body = LambdaInvoker.body(encrypted);
    assertEquals(key.arn().toString(), body.get("KeyId").asText());

    JsonNode decrypted =
        LambdaInvoker.invoke(
            LambdaInvoker.event(
                "decrypt.json",
                Map.of(
                    "KMS_TOKEN",
                    caller.token(),
                    "KMS_CIPHERTEXT",
                    body.get("CiphertextBlob").asText())));
    assertEquals(200, decrypted.get("statusCode").asInt(), decrypted.toString());
    assertEquals(
        "hello from the crypto function",
        new String(
            Base64.getDecoder().decode(LambdaInvoker.body(decrypted).get("Plaintext").asText()),
            StandardCharsets.UTF_8));
  }

  @Test
  void createKeyEvent_sentToCrypto_refusedNamingTheAdminFunction() {
    KmsApi caller = KmsApi.newAccount();
    JsonNode answer =
        LambdaInvoker.invoke(
            LambdaInvoker.event("create-key.json", Map.of("KMS_TOKEN", caller.token())));
    assertEquals(400, answer.get("statusCode").asInt(), answer.toString());
    JsonNode error = LambdaInvoker.body(answer);
    assertEquals("UnknownOperationException", error.get("__type").asText());
    assertEquals(
        "CreateKey is not served by this endpoint (Keyhaven's crypto function). Send it to the"
            + " admin function: POST /admin of this API",
        error.get("message").asText());
  }

  @Test
  void devTestCredentials_neverAcceptedByAFunction() throws Exception {
    String body = "{\"KeyId\":\"alias/anything\",\"Plaintext\":\"AQ==\"}";
    Map<String, String> headers = new TreeMap<>();
    headers.put("host", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com");
    headers.put("x-amz-date", AMZ_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
    headers.put("x-amz-target", "TrentService.Encrypt");
    String authorization =
        new SpecSigner("test", "test", "us-east-1", "kms")
            .authorization(
                "POST",
                "",
                headers,
                List.of("host", "x-amz-date", "x-amz-target"),
                body.getBytes(StandardCharsets.UTF_8));
    ObjectNode event = (ObjectNode) JSON.readTree(LambdaInvoker.event("encrypt.json", Map.of()));
    ObjectNode eventHeaders = (ObjectNode) event.get("headers");
    eventHeaders.put("authorization", authorization);
    eventHeaders.put("x-amz-date", headers.get("x-amz-date"));
    event.put("body", body);
    JsonNode answer = LambdaInvoker.invoke(event.toString());
    assertEquals(400, answer.get("statusCode").asInt(), answer.toString());
    assertEquals("UnrecognizedClientException", LambdaInvoker.body(answer).get("__type").asText());
  }

  /**
   * Issue 16, item 7: what is no KMS request reaches the function ($default route) and is audited.
   */
  @Test
  void getAndOtherPathEvents_auditedThen405And404() throws Exception {
    for (String[] request : new String[][] {{"GET", "/", "405"}, {"POST", "/x", "404"}}) {
      ObjectNode event =
          (ObjectNode)
              JSON.readTree(
                  LambdaInvoker.event("encrypt.json", Map.of("KMS_TOKEN", "t", "KMS_KEY_ID", "k")));
      event.put("routeKey", "$default");
      event.put("rawPath", request[1]);
      ObjectNode http = (ObjectNode) event.get("requestContext").get("http");
      http.put("method", request[0]);
      http.put("path", request[1]);
      ((ObjectNode) event.get("requestContext")).put("routeKey", "$default");
      JsonNode answer = LambdaInvoker.invoke(event.toString());
      assertEquals(
          Integer.parseInt(request[2]), answer.get("statusCode").asInt(), answer.toString());
      assertTrue(answer.get("headers").has("x-amzn-RequestId"), answer.toString());
      assertEquals("UnknownOperationException", LambdaInvoker.body(answer).get("__type").asText());
    }
  }
}
