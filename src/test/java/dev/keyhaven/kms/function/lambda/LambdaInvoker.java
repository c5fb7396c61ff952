package dev.keyhaven.kms.function.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Feeds a raw Lambda event to the function under test and returns the handler's raw answer, as the
 * Lambda service would: through the Quarkus Lambda mock event server's event endpoint ({@code POST
 * /_lambda_} on the test port), which hands the event to the function's real handler (the Lambda
 * HTTP adapter for crypto and admin, the named {@code RequestHandler} for rotation).
 *
 * <p>Event files are the ones {@code sam local invoke -e} takes ({@code tests/events/}); {@code
 * ${NAME}} placeholders are filled in from the given values, as {@code envsubst} does for sam.
 */
public final class LambdaInvoker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Path EVENTS = Path.of("tests", "events");

  private LambdaInvoker() {}

  /** The event file {@code tests/events/<name>} with its placeholders filled in. */
  public static String event(String name, Map<String, String> values) {
    try {
      String text = Files.readString(EVENTS.resolve(name), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> v : values.entrySet()) {
        text = text.replace("${" + v.getKey() + "}", v.getValue());
      }
      return text;
    } catch (IOException e) {
      throw new AssertionError("cannot read event " + name, e);
    }
  }

  /** Invokes the function with {@code event}; returns the handler's JSON answer. */
  public static JsonNode invoke(String event) {
    // The port the mock event server bound (the build asks for a free one).
    int port =
        ConfigProvider.getConfig()
            .getOptionalValue("quarkus.lambda.mock-event-server.test-port", Integer.class)
            .orElse(8081);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/_lambda_"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(event))
            .build();
    try {
      HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new AssertionError("invocation failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The KMS JSON body of an API Gateway v2 (HTTP API) answer. */
  public static JsonNode body(JsonNode apiGatewayResponse) {
    try {
      return JSON.readTree(apiGatewayResponse.get("body").asText());
    } catch (IOException e) {
      throw new AssertionError("answer body is not JSON: " + apiGatewayResponse, e);
    }
  }
}
