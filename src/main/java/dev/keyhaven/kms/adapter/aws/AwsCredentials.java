package dev.keyhaven.kms.adapter.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The function's own AWS credentials (its execution role's), for {@link AwsSecrets}.
 *
 * <p>Sources, in this order:
 *
 * <ol>
 *   <li>the container credentials endpoint: {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, with {@code
 *       AWS_CONTAINER_AUTHORIZATION_TOKEN} (or the token in the file {@code
 *       AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}) as its {@code Authorization} header. It is what a
 *       Lambda function with SnapStart gets instead of credentials in its environment (AWS Lambda
 *       Developer Guide, "Activating and managing Lambda SnapStart", credentials), and it answers
 *       current credentials after a restore;
 *   <li>{@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}: a
 *       function without SnapStart.
 * </ol>
 *
 * <p>Contract: {@link #current} answers credentials valid for at least another {@link #MARGIN},
 * fetching new ones from the endpoint when the cached ones are closer to their expiration, or fails
 * with a message naming the source and never any credential.
 */
final class AwsCredentials {
  static final Duration MARGIN = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A set of credentials; {@code sessionToken} may be null, {@code expiration} null = none. */
  record Credentials(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    @Override
    public String toString() {
      return "Credentials[" + accessKeyId + "]"; // never the secret or the token
    }
  }

  private final Map<String, String> env;
  private final HttpClient http;
  private final Clock clock;
  private Credentials cached;

  AwsCredentials(Map<String, String> env, HttpClient http, Clock clock) {
    this.env = env;
    this.http = http;
    this.clock = clock;
  }

  /** Credentials to sign with now. */
  synchronized Credentials current() {
    if (cached != null
        && (cached.expiration() == null
            || cached.expiration().isAfter(clock.instant().plus(MARGIN)))) {
      return cached;
    }
    String endpoint = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (endpoint != null && !endpoint.isBlank()) {
      cached = fromEndpoint(endpoint);
    } else if (present("AWS_ACCESS_KEY_ID") && present("AWS_SECRET_ACCESS_KEY")) {
      cached =
          new Credentials(
              env.get("AWS_ACCESS_KEY_ID"),
              env.get("AWS_SECRET_ACCESS_KEY"),
              env.get("AWS_SESSION_TOKEN"),
              null);
    } else {
      throw new IllegalStateException(
          "no AWS credentials: neither AWS_CONTAINER_CREDENTIALS_FULL_URI nor"
              + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY is set (not in AWS Lambda?)");
    }
    return cached;
  }

  /** Forgets the cached credentials: a restored snapshot's may have expired. */
  synchronized void forget() {
    cached = null;
  }

  private Credentials fromEndpoint(String endpoint) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint)).timeout(Duration.ofSeconds(5)).GET();
    String token = authorizationToken();
    if (token != null) {
      request.header("Authorization", token);
    }
    try {
      HttpResponse<byte[]> answer =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(
            "the container credentials endpoint answered " + answer.statusCode());
      }
      JsonNode body = JSON.readTree(answer.body());
      String id = body.path("AccessKeyId").asText(null);
      String secret = body.path("SecretAccessKey").asText(null);
      if (id == null || secret == null) {
        throw new IllegalStateException(
            "the container credentials endpoint answered no credentials");
      }
      String expiration = body.path("Expiration").asText(null);
      return new Credentials(
          id,
          secret,
          body.path("Token").asText(null),
          expiration == null ? null : Instant.parse(expiration));
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the container credentials endpoint", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the container credentials", e);
    }
  }

  private String authorizationToken() {
    String file = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (file != null && !file.isBlank()) {
      try {
        return Files.readString(Path.of(file)).strip();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", e);
      }
    }
    return env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }

  private boolean present(String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }
}
