package dev.keyhaven.kms.function.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.keyhaven.kms.function.lambda.LambdaInvoker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The migrate handler of the rotation artifact ({@code QUARKUS_LAMBDA_HANDLER=migrate}): a plain
 * invocation answers how many migrations it applied; as a CloudFormation custom resource it answers
 * CloudFormation's pre-signed URL with SUCCESS (here a local stand-in for that URL).
 */
@QuarkusTest
@TestProfile(MigrateFunctionTest.MigrateHandler.class)
class MigrateFunctionTest {
  /** Selects the handler as the SAM template does ({@code QUARKUS_LAMBDA_HANDLER}). */
  public static class MigrateHandler implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.lambda.handler", "migrate");
    }
  }

  @Test
  void plainInvocation_migratedAlready_appliesNothing() {
    JsonNode answer = LambdaInvoker.invoke("{}");
    assertEquals(0, answer.get("Applied").asInt(), answer.toString());
  }

  @Test
  void customResourceCreate_answersCloudFormationWithSuccess() throws Exception {
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    HttpServer cloudFormation = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    cloudFormation.createContext(
        "/presigned",
        exchange -> {
          String method = exchange.getRequestMethod();
          JsonNode body = new ObjectMapper().readTree(exchange.getRequestBody().readAllBytes());
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
          reply.complete("PUT".equals(method) ? body : null);
        });
    cloudFormation.start();
    try {
      String url = "http://127.0.0.1:" + cloudFormation.getAddress().getPort() + "/presigned";
      String event =
          "{\"RequestType\":\"Create\",\"ResponseURL\":\""
              + url
              + "\","
              + "\"StackId\":\"arn:aws:cloudformation:us-east-1:123456789012:stack/keyhaven/1\","
              + "\"RequestId\":\"r-1\",\"LogicalResourceId\":\"SchemaMigration\","
              + "\"ResourceType\":\"Custom::KeyhavenSchema\",\"ResourceProperties\":{}}";
      JsonNode answer = LambdaInvoker.invoke(event);
      JsonNode put = reply.get(30, TimeUnit.SECONDS);
      assertEquals("SUCCESS", put.get("Status").asText(), put.toString());
      assertEquals("r-1", put.get("RequestId").asText());
      assertEquals("SchemaMigration", put.get("LogicalResourceId").asText());
      assertEquals("keyhaven-schema", put.get("PhysicalResourceId").asText());
      assertTrue(put.get("Data").has("Applied"), put.toString());
      assertTrue(answer.has("Applied"), answer.toString());
    } finally {
      cloudFormation.stop(0);
    }
  }
}
