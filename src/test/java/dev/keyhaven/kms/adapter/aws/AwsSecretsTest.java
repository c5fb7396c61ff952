package dev.keyhaven.kms.adapter.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keyhaven.kms.support.ManualClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AwsSecrets} against a stand-in for Secrets Manager, SSM and the Lambda container
 * credentials endpoint on loopback. The stand-in checks each call as AWS would: the target, the
 * body, the credential scope (region from the secret's ARN, the service's signing name), and the
 * signature over the headers as they arrived — the Host the HTTP client really sent included. The
 * signer itself is checked against AWS's and botocore's signatures in {@link AwsRequestSignerTest}.
 */
class AwsSecretsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROOT_KEY_ARN =
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:keyhaven/root-key-AbCdEf";
  private static final String SSM_ARN =
      "arn:aws:ssm:eu-west-1:111122223333:parameter/keyhaven/root-key";
  private static final String DB_ARN =
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:keyhaven/db-XyZ";
  private static final String SECRET_KEY = "container-secret-key";

  private HttpServer aws;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger credentialFetches = new AtomicInteger();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));
  private String base;

  @BeforeEach
  void startAws() throws IOException {
    aws = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    aws.createContext("/credentials", this::credentials);
    aws.createContext("/", this::service);
    aws.start();
    base = "http://127.0.0.1:" + aws.getAddress().getPort();
  }

  @AfterEach
  void stopAws() {
    aws.stop(0);
  }

  private AwsSecrets withContainerCredentials() {
    return new AwsSecrets(
        Map.of(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            base + "/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "auth-token-1",
            "AWS_ENDPOINT_URL",
            base),
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
        clock);
  }

  @Test
  void read_secretsManagerSecret_signedCallInTheSecretsRegion() {
    assertEquals("c2VjcmV0LXJvb3Qta2V5\n", withContainerCredentials().read(ROOT_KEY_ARN));
    assertEquals(
        List.of("secretsmanager.GetSecretValue us-east-1/secretsmanager ASIA-CONTAINER"), calls);
  }

  @Test
  void read_ssmParameterArn_readsTheDecryptedValue() {
    assertEquals("c3NtLXJvb3Qta2V5", withContainerCredentials().read(SSM_ARN));
    assertEquals(List.of("AmazonSSM.GetParameter eu-west-1/ssm ASIA-CONTAINER"), calls);
  }

  @Test
  void readMember_rdsManagedSecret_returnsTheMember() {
    AwsSecrets secrets = withContainerCredentials();
    assertEquals("keyhaven", secrets.readMember(DB_ARN, "username"));
    assertEquals("pw-123", secrets.readMember(DB_ARN, "password"));
  }

  @Test
  void containerCredentials_areFetchedOnce_andAgainWhenCloseToTheirExpiration() {
    AwsSecrets secrets = withContainerCredentials();
    secrets.read(ROOT_KEY_ARN);
    secrets.read(DB_ARN);
    assertEquals(1, credentialFetches.get());
    clock.advance(Duration.ofMinutes(56)); // they expire at +60 min: within the margin
    secrets.read(ROOT_KEY_ARN);
    assertEquals(2, credentialFetches.get());
    secrets.forgetCredentials(); // a snapshot restore
    secrets.read(ROOT_KEY_ARN);
    assertEquals(3, credentialFetches.get());
  }

  @Test
  void environmentCredentials_whenNoContainerEndpoint() {
    AwsSecrets secrets =
        new AwsSecrets(
            Map.of(
                "AWS_ACCESS_KEY_ID",
                "ASIA-ENVIRONMENT",
                "AWS_SECRET_ACCESS_KEY",
                SECRET_KEY,
                "AWS_SESSION_TOKEN",
                "session-token-1",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                base),
            HttpClient.newHttpClient(),
            clock);
    assertEquals("c2VjcmV0LXJvb3Qta2V5\n", secrets.read(ROOT_KEY_ARN));
    assertEquals(
        List.of("secretsmanager.GetSecretValue us-east-1/secretsmanager ASIA-ENVIRONMENT"), calls);
    assertEquals(0, credentialFetches.get());
  }

  @Test
  void read_serviceRefuses_failsNamingTheReferenceAndTheErrorOnly() {
    String missing = "arn:aws:secretsmanager:us-east-1:111122223333:secret:other";
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> withContainerCredentials().read(missing));
    assertTrue(
        e.getMessage().contains(missing)
            && e.getMessage().contains("400 ResourceNotFoundException"),
        e.getMessage());
  }

  @Test
  void readMember_missingMember_failsWithoutTheSecretValue() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> withContainerCredentials().readMember(DB_ARN, "host"));
    assertFalse(e.getMessage().contains("pw-123"), e.getMessage());
  }

  @Test
  void noCredentials_failsClearly() {
    AwsSecrets outside =
        new AwsSecrets(Map.of("AWS_ENDPOINT_URL", base), HttpClient.newHttpClient(), clock);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> outside.read(ROOT_KEY_ARN));
    assertTrue(e.getMessage().contains("no AWS credentials"), e.getMessage());
    assertTrue(calls.isEmpty());
  }

  private void credentials(HttpExchange exchange) throws IOException {
    credentialFetches.incrementAndGet();
    if (!"auth-token-1".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      reply(exchange, 403, "{\"message\":\"bad token\"}");
      return;
    }
    reply(
        exchange,
        200,
        "{\"AccessKeyId\":\"ASIA-CONTAINER\",\"SecretAccessKey\":\""
            + SECRET_KEY
            + "\","
            + "\"Token\":\"container-session-token\",\"Expiration\":\""
            + clock.instant().plus(Duration.ofMinutes(60))
            + "\"}");
  }

  /** Secrets Manager and SSM: verifies the call, then answers from three known secrets. */
  private void service(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    // Credential=<id>/<day>/<region>/<service>/aws4_request, SignedHeaders=a;b, Signature=…
    String credential = authorization.replaceAll(".*Credential=([^,]+),.*", "$1");
    String[] scope = credential.split("/");
    String[] signedNames = authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1").split(";");
    Map<String, String> signed = new HashMap<>();
    for (String name : signedNames) {
      if (!name.equals("x-amz-date") && !name.equals("x-amz-security-token")) {
        signed.put(name, exchange.getRequestHeaders().getFirst(name));
      }
    }
    String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
    String date = exchange.getRequestHeaders().getFirst("X-Amz-Date");
    Map<String, String> expected =
        AwsRequestSigner.sign(
            "POST",
            exchange.getRequestURI().getRawPath(),
            "",
            signed,
            body,
            new AwsCredentials.Credentials(scope[0], SECRET_KEY, token, null),
            scope[2],
            scope[3],
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .parse(date, Instant::from));
    if (!expected.get("authorization").equals(authorization)
        || !"application/x-amz-json-1.1".equals(signed.get("content-type"))
        || token == null) {
      reply(exchange, 403, "{\"__type\":\"InvalidSignatureException\",\"message\":\"no\"}");
      return;
    }
    calls.add(target + " " + scope[2] + "/" + scope[3] + " " + scope[0]);
    JsonNode request = JSON.readTree(body);
    String id =
        target.equals("AmazonSSM.GetParameter")
            ? request.path("Name").asText()
                + (request.path("WithDecryption").asBoolean() ? "" : "!")
            : request.path("SecretId").asText();
    switch (id) {
      case ROOT_KEY_ARN ->
          reply(
              exchange,
              200,
              "{\"ARN\":\"" + ROOT_KEY_ARN + "\",\"SecretString\":\"c2VjcmV0LXJvb3Qta2V5\\n\"}");
      case SSM_ARN ->
          reply(
              exchange,
              200,
              "{\"Parameter\":{\"Type\":\"SecureString\",\"Value\":\"c3NtLXJvb3Qta2V5\"}}");
      case DB_ARN ->
          reply(
              exchange,
              200,
              "{\"SecretString\":\"{\\\"username\\\":\\\"keyhaven\\\",\\\"password\\\":\\\"pw-123\\\"}\"}");
      default ->
          reply(
              exchange,
              400,
              "{\"__type\":\"com.amazonaws.secretsmanager#ResourceNotFoundException\","
                  + "\"message\":\"Secrets Manager can't find the specified secret.\"}");
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
