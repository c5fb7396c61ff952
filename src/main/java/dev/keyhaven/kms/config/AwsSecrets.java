package dev.keyhaven.kms.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Reads a secret through the AWS Parameters and Secrets Lambda Extension (AWS Secrets Manager User
 * Guide, "Use AWS Secrets Manager secrets in AWS Lambda functions"): {@code GET
 * http://localhost:<port>/secretsmanager/get?secretId=<id>} or, for an SSM parameter ARN, {@code
 * /systemsmanager/parameters/get?name=<arn>&withDecryption=true}, authenticated with the
 * function's own {@code AWS_SESSION_TOKEN}. The extension caches and refreshes the value; the
 * function needs {@code secretsmanager:GetSecretValue} (or {@code ssm:GetParameter}) on it and no
 * AWS SDK.
 *
 * <p>Contract: returns the secret's string value, or fails with a message that names the secret
 * reference but never any part of its value.
 */
final class AwsSecrets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final HttpClient http;

  AwsSecrets(Map<String, String> env, HttpClient http) {
    this.env = env;
    this.http = http;
  }

  static AwsSecrets fromEnvironment() {
    return new AwsSecrets(
        System.getenv(), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
  }

  /** Whether {@code reference} names an SSM parameter (its ARN) rather than a Secrets Manager secret. */
  static boolean isSsmParameter(String reference) {
    return reference.startsWith("arn:aws:ssm:") || reference.startsWith("arn:aws-us-gov:ssm:")
        || reference.startsWith("arn:aws-cn:ssm:");
  }

  /** The value of the secret or SSM SecureString parameter {@code reference}. */
  String read(String reference) {
    String port = env.getOrDefault("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773");
    String token = env.get("AWS_SESSION_TOKEN");
    if (token == null) {
      throw new IllegalStateException(
          "cannot read " + reference + ": AWS_SESSION_TOKEN is not set (not in AWS Lambda?)");
    }
    boolean ssm = isSsmParameter(reference);
    String encoded = URLEncoder.encode(reference, StandardCharsets.UTF_8);
    String path =
        ssm
            ? "/systemsmanager/parameters/get?withDecryption=true&name=" + encoded
            : "/secretsmanager/get?secretId=" + encoded;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .header("X-Aws-Parameters-Secrets-Token", token)
            .GET()
            .build();
    try {
      HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(
            "cannot read " + reference + ": the secrets extension answered " + answer.statusCode()
                + " (is the AWS Parameters and Secrets Lambda Extension layer attached and the"
                + " function allowed to read it?)");
      }
      JsonNode body = JSON.readTree(answer.body());
      JsonNode value = ssm ? body.path("Parameter").path("Value") : body.path("SecretString");
      if (!value.isTextual()) {
        throw new IllegalStateException("cannot read " + reference + ": it has no string value");
      }
      return value.asText();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read " + reference + " through the secrets extension on port " + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading " + reference, e);
    }
  }

  /** One member of a JSON secret, e.g. {@code password} of an RDS-managed secret. */
  String readMember(String reference, String member) {
    try {
      JsonNode value = JSON.readTree(read(reference)).path(member);
      if (!value.isTextual()) {
        throw new IllegalStateException(reference + " has no string member '" + member + "'");
      }
      return value.asText();
    } catch (IOException e) {
      throw new IllegalStateException(reference + " is not a JSON secret", e);
    }
  }
}
