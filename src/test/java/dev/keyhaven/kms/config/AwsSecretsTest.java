package dev.keyhaven.kms.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AwsSecrets} against a stand-in for the AWS Parameters and Secrets Lambda Extension on
 * loopback: the paths, the session-token header, the JSON members it reads, and failures that
 * never carry the secret.
 */
class AwsSecretsTest {
  private static final String ROOT_KEY_ARN =
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:keyhaven/root-key-AbCdEf";
  private static final String SSM_ARN = "arn:aws:ssm:us-east-1:111122223333:parameter/keyhaven/root-key";
  private static final String DB_ARN =
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:keyhaven/db-XyZ";

  private HttpServer extension;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private AwsSecrets secrets;

  @BeforeEach
  void startExtension() throws IOException {
    extension = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    extension.createContext(
        "/",
        exchange -> {
          String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
          String token = exchange.getRequestHeaders().getFirst("X-Aws-Parameters-Secrets-Token");
          requests.add(exchange.getRequestURI().getPath() + "?" + query + " token=" + token);
          String body;
          int status = 200;
          if (query.contains(ROOT_KEY_ARN)) {
            body = "{\"ARN\":\"" + ROOT_KEY_ARN + "\",\"SecretString\":\"c2VjcmV0LXJvb3Qta2V5\\n\"}";
          } else if (query.contains(SSM_ARN)) {
            body = "{\"Parameter\":{\"Type\":\"SecureString\",\"Value\":\"c3NtLXJvb3Qta2V5\"}}";
          } else if (query.contains(DB_ARN)) {
            body = "{\"SecretString\":\"{\\\"username\\\":\\\"keyhaven\\\",\\\"password\\\":\\\"pw-123\\\"}\"}";
          } else {
            status = 400;
            body = "{\"message\":\"not found\"}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    extension.start();
    secrets =
        new AwsSecrets(
            Map.of(
                "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT",
                Integer.toString(extension.getAddress().getPort()),
                "AWS_SESSION_TOKEN",
                "session-token-1"),
            HttpClient.newHttpClient());
  }

  @AfterEach
  void stopExtension() {
    extension.stop(0);
  }

  @Test
  void read_secretsManagerSecret_sendsSessionTokenAndReturnsSecretString() {
    assertEquals("c2VjcmV0LXJvb3Qta2V5\n", secrets.read(ROOT_KEY_ARN));
    assertEquals(
        List.of("/secretsmanager/get?secretId=" + ROOT_KEY_ARN + " token=session-token-1"), requests);
  }

  @Test
  void read_ssmParameterArn_readsDecryptedParameterValue() {
    assertEquals("c3NtLXJvb3Qta2V5", secrets.read(SSM_ARN));
    assertTrue(requests.get(0).startsWith("/systemsmanager/parameters/get?withDecryption=true&name=" + SSM_ARN));
  }

  @Test
  void readMember_rdsManagedSecret_returnsTheMember() {
    assertEquals("keyhaven", secrets.readMember(DB_ARN, "username"));
    assertEquals("pw-123", secrets.readMember(DB_ARN, "password"));
  }

  @Test
  void read_extensionRefuses_failsNamingTheReferenceOnly() {
    String missing = "arn:aws:secretsmanager:us-east-1:111122223333:secret:other";
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> secrets.read(missing));
    assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("400"), e.getMessage());
  }

  @Test
  void readMember_missingMember_failsWithoutTheSecretValue() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> secrets.readMember(DB_ARN, "host"));
    assertFalse(e.getMessage().contains("pw-123"), e.getMessage());
  }

  @Test
  void read_noSessionToken_failsClearly() {
    AwsSecrets outside = new AwsSecrets(Map.of(), HttpClient.newHttpClient());
    assertThrows(IllegalStateException.class, () -> outside.read(ROOT_KEY_ARN));
  }
}
