package dev.keyhaven.tests.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw AWS JSON 1.1 calls for the reliability drivers: the exact status and body bytes the server
 * answers (an SDK would parse the error and hide the body), authenticated with the dev JWT of
 * {@code dev.env} ({@code KMS_ENDPOINT}, {@code KMS_TOKEN}). A missing variable fails the driver.
 */
final class ReliabilityHttp {
  /** One answer: HTTP status, body as text, and the wall-clock time the call took. */
  record Answer(int status, String body, long nanos) {}

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final URI endpoint = URI.create(env("KMS_ENDPOINT"));
  private final String token = env("KMS_TOKEN");

  static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is not set (source the server's dev.env)");
    }
    return value;
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  URI endpoint() {
    return endpoint;
  }

  String token() {
    return token;
  }

  /** {@code TrentService.<operation>} with a JSON body. */
  Answer call(String operation, String json) {
    return call(operation, json.getBytes(StandardCharsets.UTF_8));
  }

  Answer call(String operation, byte[] body) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", "TrentService." + operation)
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    long start = System.nanoTime();
    try {
      HttpResponse<String> response =
          client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), response.body(), System.nanoTime() - start);
    } catch (IOException e) {
      throw new UncheckedIOException(operation + " failed in transport", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Calls and requires HTTP 200; returns the body. */
  String ok(String operation, String json) {
    Answer answer = call(operation, json);
    if (answer.status() != 200) {
      throw new IllegalStateException(
          operation + " answered " + answer.status() + ": " + answer.body());
    }
    return answer.body();
  }

  /** The string value of a top-level member of a flat JSON answer. */
  static String member(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return m.group(1);
  }

  /** Writes the scenario's result file ({@code RELIABILITY_JSON}, else {@code target/}). */
  static void writeResult(String fileName, String json) {
    Path path = Path.of(env("RELIABILITY_JSON", "target/" + fileName));
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      Files.writeString(path, json + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
