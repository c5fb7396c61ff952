package dev.keyhaven.kms.adapter.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Reads a secret from AWS Secrets Manager ({@code GetSecretValue}) or an SSM SecureString parameter
 * ({@code GetParameter} with decryption), calling the service's JSON API directly over HTTPS,
 * signed with SigV4 ({@link AwsRequestSigner}) under the function's own credentials ({@link
 * AwsCredentials}) — no AWS SDK in the artifacts, and no Lambda extension: the AWS Parameters and
 * Secrets Lambda Extension authenticates callers with {@code AWS_SESSION_TOKEN}, which a function
 * with SnapStart does not have.
 *
 * <p>The endpoint is the secret's own region's ({@code https://secretsmanager.<region>.<dns
 * suffix>/}, the region and partition taken from the ARN, {@code AWS_REGION} for a bare secret
 * name), unless {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} / {@code AWS_ENDPOINT_URL_SSM} (or {@code
 * AWS_ENDPOINT_URL}) name another, as for the AWS SDKs. The function needs {@code
 * secretsmanager:GetSecretValue} (or {@code ssm:GetParameter}) on it and a network path to the
 * service (its VPC interface endpoint or a NAT gateway).
 *
 * <p>Contract: returns the secret's string value, or fails with a message that names the secret
 * reference and the service's error code but never any part of the value.
 */
final class AwsSecrets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final HttpClient http;
  private final AwsCredentials credentials;
  private final Clock clock;

  AwsSecrets(Map<String, String> env, HttpClient http, Clock clock) {
    this.env = env;
    this.http = http;
    this.clock = clock;
    this.credentials = new AwsCredentials(env, http, clock);
  }

  static AwsSecrets fromEnvironment() {
    return new AwsSecrets(
        System.getenv(),
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build(),
        Clock.systemUTC());
  }

  /**
   * Whether {@code reference} names an SSM parameter (its ARN) rather than a Secrets Manager
   * secret.
   */
  static boolean isSsmParameter(String reference) {
    return reference.startsWith("arn:aws:ssm:")
        || reference.startsWith("arn:aws-us-gov:ssm:")
        || reference.startsWith("arn:aws-cn:ssm:");
  }

  /** Forgets cached credentials (after a snapshot restore). */
  void forgetCredentials() {
    credentials.forget();
  }

  /** The value of the secret or SSM SecureString parameter {@code reference}. */
  String read(String reference) {
    boolean ssm = isSsmParameter(reference);
    String[] arn = reference.startsWith("arn:") ? reference.split(":", 6) : null;
    String region =
        arn != null && arn.length > 3 && !arn[3].isEmpty() ? arn[3] : env.get("AWS_REGION");
    if (region == null || region.isBlank()) {
      throw new IllegalStateException(
          "cannot read " + reference + ": no region (AWS_REGION is not set)");
    }
    String partition = arn != null ? arn[1] : "aws";
    String service = ssm ? "ssm" : "secretsmanager";
    URI endpoint = endpoint(service, region, partition);
    ObjectNode request = JSON.createObjectNode();
    if (ssm) {
      request.put("Name", reference).put("WithDecryption", true);
    } else {
      request.put("SecretId", reference);
    }
    byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
    String host =
        endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    Map<String, String> headers =
        AwsRequestSigner.sign(
            "POST",
            "/",
            "",
            Map.of(
                "host",
                host,
                "content-type",
                "application/x-amz-json-1.1",
                "x-amz-target",
                ssm ? "AmazonSSM.GetParameter" : "secretsmanager.GetSecretValue"),
            body,
            credentials.current(),
            region,
            service,
            clock.instant());
    HttpRequest.Builder call =
        HttpRequest.newBuilder(endpoint.resolve("/"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(
        (name, value) -> {
          if (!name.equalsIgnoreCase("host")) { // the client sets Host itself, to the same value
            call.header(name, value);
          }
        });
    try {
      HttpResponse<byte[]> answer =
          http.send(call.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode reply =
          answer.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(answer.body());
      if (answer.statusCode() != 200) {
        String type = reply.path("__type").asText("");
        throw new IllegalStateException(
            "cannot read "
                + reference
                + ": "
                + service
                + " answered "
                + answer.statusCode()
                + (type.isEmpty() ? "" : " " + type.substring(type.indexOf('#') + 1))
                + " (is the function allowed to read it, and is the service reachable?)");
      }
      JsonNode value = ssm ? reply.path("Parameter").path("Value") : reply.path("SecretString");
      if (!value.isTextual()) {
        throw new IllegalStateException("cannot read " + reference + ": it has no string value");
      }
      return value.asText();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + reference + " from " + endpoint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading " + reference, e);
    }
  }

  /** The service endpoint: a configured override, or the regional one of the partition. */
  private URI endpoint(String service, String region, String partition) {
    String specific =
        env.get(
            service.equals("ssm") ? "AWS_ENDPOINT_URL_SSM" : "AWS_ENDPOINT_URL_SECRETS_MANAGER");
    String general = env.get("AWS_ENDPOINT_URL");
    String configured = specific != null && !specific.isBlank() ? specific : general;
    if (configured != null && !configured.isBlank()) {
      return URI.create(configured);
    }
    String suffix = partition.equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
    return URI.create("https://" + service + "." + region + "." + suffix);
  }

  /** One member of a JSON secret, e.g. {@code password} of an RDS-managed secret. */
  String readMember(String reference, String member) {
    return member(reference, read(reference), member);
  }

  /** Member {@code member} of {@code secret}, the JSON value of {@code reference}. */
  static String member(String reference, String secret, String member) {
    try {
      JsonNode value = JSON.readTree(secret).path(member);
      if (!value.isTextual()) {
        throw new IllegalStateException(reference + " has no string member '" + member + "'");
      }
      return value.asText();
    } catch (IOException e) {
      throw new IllegalStateException(
          reference + " is not a JSON secret"); // no cause: it quotes the value
    }
  }
}
