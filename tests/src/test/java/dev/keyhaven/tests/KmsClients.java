package dev.keyhaven.tests;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The one place where the suite builds its clients: a real AWS SDK v2 {@link KmsClient} pointed at
 * the running Keyhaven ({@code KMS_ENDPOINT}, {@code KMS_REGION}), with anonymous credentials (no
 * SigV4) and an interceptor that sends {@code Authorization: Bearer <JWT>}.
 *
 * <p>Environment (set by {@code ./kms test} from {@code $KMS_DATA_DIR/dev.env}): KMS_ENDPOINT,
 * KMS_TOKEN, KMS_REGION, KMS_ACCOUNT_ID; KMS_DATA_DIR for minting tokens of other principals;
 * KMS_E2E_STATE for the state handed across the server restart. A missing variable fails the test
 * that needs it: this suite never skips.
 */
public final class KmsClients {
  private static final Map<String, String> MINTED = new ConcurrentHashMap<>();

  private KmsClients() {}

  public static String endpoint() {
    return required("KMS_ENDPOINT");
  }

  public static String region() {
    return required("KMS_REGION");
  }

  public static String accountId() {
    return required("KMS_ACCOUNT_ID");
  }

  /** The JWT of {@code arn:aws:iam::$KMS_ACCOUNT_ID:root}. */
  public static String token() {
    return required("KMS_TOKEN");
  }

  /** Path of the properties file passed from the before-restart to the after-restart phase. */
  public static Path stateFile() {
    String configured = System.getenv("KMS_E2E_STATE");
    return configured == null || configured.isBlank()
        ? Path.of("target", "e2e-state.properties").toAbsolutePath()
        : Path.of(configured);
  }

  /** A client for the account root of {@code KMS_ACCOUNT_ID}. */
  public static KmsClient client() {
    return client(token());
  }

  /** A client that authenticates with {@code bearerToken}, or sends no Authorization if null. */
  public static KmsClient client(String bearerToken) {
    var builder =
        KmsClient.builder()
            .endpointOverride(URI.create(endpoint()))
            .region(Region.of(region()))
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60)))
            .overrideConfiguration(
                o -> {
                  // A compatibility suite reports the first answer; retries would hide faults.
                  o.retryStrategy(AwsRetryStrategy.doNotRetry());
                  o.apiCallTimeout(Duration.ofSeconds(90));
                  o.addExecutionInterceptor(new TrafficRecord());
                  if (bearerToken != null) {
                    o.addExecutionInterceptor(new BearerToken(bearerToken));
                  }
                });
    return builder.build();
  }

  /**
   * A client that signs with SigV4 like any AWS SDK user: {@code StaticCredentialsProvider} with a
   * Keyhaven access key.
   */
  public static KmsClient sigV4Client(String accessKeyId, String secretAccessKey) {
    return KmsClient.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.of(region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
        .httpClientBuilder(
            UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)))
        .overrideConfiguration(
            o ->
                o.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .addExecutionInterceptor(new TrafficRecord()))
        .build();
  }

  /** The account root's access key that {@code ./kms dev} writes to dev.env. */
  public static KmsClient rootSigV4Client() {
    return sigV4Client(required("AWS_ACCESS_KEY_ID"), required("AWS_SECRET_ACCESS_KEY"));
  }

  /**
   * A new access key for {@code principalArn} from {@code ../kms access-key create}, as {@code [id,
   * secret]}.
   */
  public static String[] createAccessKey(String principalArn) {
    String out = runKms("access-key", "create", "--principal", principalArn);
    String id = null;
    String secret = null;
    for (String line : out.split("\n")) {
      if (line.startsWith("AWS_ACCESS_KEY_ID=")) {
        id = line.substring("AWS_ACCESS_KEY_ID=".length());
      } else if (line.startsWith("AWS_SECRET_ACCESS_KEY=")) {
        secret = line.substring("AWS_SECRET_ACCESS_KEY=".length());
      }
    }
    if (id == null || secret == null) {
      throw new IllegalStateException("./kms access-key create printed no key pair: " + out);
    }
    TrafficRecord.secret(secret);
    return new String[] {id, secret};
  }

  /** A client that sends no Authorization header at all. */
  public static KmsClient unauthenticatedClient() {
    return client(null);
  }

  /**
   * A JWT for another principal: from the local dev issuer, {@code ../kms token --principal ARN}
   * (the tests run in {@code tests/}) against the same data directory as the server; or, when
   * {@code KMS_E2E_TOKEN_URL} is set (the serve stage, tests/serve/run.sh), from that test OIDC
   * issuer's {@code GET <url>?principal=ARN}.
   */
  public static String mintToken(String principalArn) {
    return MINTED.computeIfAbsent(principalArn, KmsClients::runTokenCommand);
  }

  private static String runTokenCommand(String principalArn) {
    String issuer = System.getenv("KMS_E2E_TOKEN_URL");
    String token =
        (issuer == null || issuer.isBlank()
                ? runKms("token", "--principal", principalArn)
                : fetchToken(issuer, principalArn))
            .strip();
    if (token.isEmpty() || token.contains("\n") || token.split("\\.").length != 3) {
      throw new IllegalStateException("./kms token printed no JWT: " + token);
    }
    TrafficRecord.secret(token);
    return token;
  }

  private static String fetchToken(String issuer, String principalArn) {
    URI uri =
        URI.create(
            issuer
                + "?principal="
                + java.net.URLEncoder.encode(principalArn, StandardCharsets.UTF_8));
    try {
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(uri).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the test issuer answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the test issuer at " + issuer, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code ../kms <args>} against the server's data directory and returns its output. */
  private static String runKms(String... args) {
    Path launcher = Path.of("..", "kms").toAbsolutePath().normalize();
    java.util.List<String> command = new java.util.ArrayList<>();
    command.add(launcher.toString());
    command.addAll(java.util.List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(launcher.getParent().toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    String dataDir = System.getenv("KMS_DATA_DIR");
    if (dataDir != null && !dataDir.isBlank()) {
      pb.environment().put("KMS_DATA_DIR", dataDir);
    }
    try {
      Process process = pb.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("./kms " + args[0] + " timed out");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("./kms " + args[0] + " exited " + process.exitValue());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + launcher, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String required(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          name
              + " is not set: run the suite with ./kms test, or source $KMS_DATA_DIR/dev.env of a"
              + " running ./kms dev first");
    }
    return value;
  }

  /** Sets {@code Authorization: Bearer <token>} on every HTTP request the client sends. */
  private static final class BearerToken implements ExecutionInterceptor {
    private final String token;

    BearerToken(String token) {
      this.token = token;
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(
        Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
      return context.httpRequest().toBuilder()
          .putHeader("Authorization", "Bearer " + token)
          .build();
    }
  }
}
