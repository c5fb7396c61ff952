package dev.keyhaven.kms.support;

import static io.restassured.RestAssured.given;

import dev.keyhaven.kms.local.DevIssuer;
import io.restassured.config.EncoderConfig;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.parsing.Parser;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Calls the running test service the way AWS SDKs do: {@code POST /} with {@code X-Amz-Target} and
 * {@code application/x-amz-json-1.1}, authenticated with a dev-issuer JWT. Each instance is one
 * principal; {@link #newAccount()} gives a fresh account so test classes never see each other's
 * keys.
 */
public final class KmsApi {
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final RestAssuredConfig CONFIG =
      RestAssuredConfig.config()
          .encoderConfig(
              EncoderConfig.encoderConfig().encodeContentTypeAs(CONTENT_TYPE, ContentType.JSON))
          // Epoch-second timestamps need double precision (a float is off by up to a minute).
          .jsonConfig(
              JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

  private final String accountId;
  private final String principalArn;
  private final String token;

  private KmsApi(String accountId, String principalArn) {
    this.accountId = accountId;
    this.principalArn = principalArn;
    this.token = issuer().mint(principalArn, Duration.ofHours(1));
  }

  /** The root principal of a new random account. */
  public static KmsApi newAccount() {
    String account = String.format("%012d", Math.floorMod(RANDOM.nextLong(), 1_000_000_000_000L));
    return new KmsApi(account, "arn:aws:iam::" + account + ":root");
  }

  /**
   * The root of the deployment's operator account (the local dev account, {@code
   * kms.dev.account-id}): the one account that may verify the audit trail.
   */
  public static KmsApi operator() {
    return new KmsApi("111122223333", "arn:aws:iam::111122223333:root");
  }

  /** Another principal of this account (e.g. a role). */
  public KmsApi as(String principalArn) {
    return new KmsApi(accountId, principalArn);
  }

  public static DevIssuer issuer() {
    return new DevIssuer(Path.of(System.getProperty("keyhaven.test.data-dir")));
  }

  public String accountId() {
    return accountId;
  }

  public String principalArn() {
    return principalArn;
  }

  public String token() {
    return token;
  }

  /** A request with the AWS JSON content type configured, nothing else set. */
  public static io.restassured.specification.RequestSpecification request() {
    return given().config(CONFIG);
  }

  /** Sends {@code body} (a map, serialized as JSON) to {@code TrentService.<operation>}. */
  public ValidatableResponse call(String operation, Map<String, ?> body) {
    return given()
        .config(CONFIG)
        .header("Authorization", "Bearer " + token)
        .header("X-Amz-Target", "TrentService." + operation)
        .contentType(CONTENT_TYPE)
        .body(body)
        .post("/")
        .then()
        .parser(CONTENT_TYPE, Parser.JSON);
  }

  /** Sends {@code body} to the Keyhaven extension API, {@code KeyhavenAdmin.<operation>}. */
  public ValidatableResponse callAdmin(String operation, Map<String, ?> body) {
    return given()
        .config(CONFIG)
        .header("Authorization", "Bearer " + token)
        .header("X-Amz-Target", "KeyhavenAdmin." + operation)
        .contentType(CONTENT_TYPE)
        .body(body)
        .post("/")
        .then()
        .parser(CONTENT_TYPE, Parser.JSON);
  }

  /** Sends raw bytes, for malformed-input tests. */
  public ValidatableResponse callRaw(String operation, String rawBody) {
    return given()
        .config(CONFIG)
        .header("Authorization", "Bearer " + token)
        .header("X-Amz-Target", "TrentService." + operation)
        .contentType(CONTENT_TYPE)
        .body(rawBody)
        .post("/")
        .then()
        .parser(CONTENT_TYPE, Parser.JSON);
  }

  /** Creates a symmetric key and returns its key id. */
  public String createKey() {
    return call("CreateKey", Map.of()).statusCode(200).extract().path("KeyMetadata.KeyId");
  }

  /** Creates a key of {@code keySpec} and {@code keyUsage} and returns its key id. */
  public String createKey(String keySpec, String keyUsage) {
    return call("CreateKey", Map.of("KeySpec", keySpec, "KeyUsage", keyUsage))
        .statusCode(200)
        .extract()
        .path("KeyMetadata.KeyId");
  }

  public String arnOf(String keyId) {
    return "arn:aws:kms:us-east-1:" + accountId + ":key/" + keyId;
  }

  public static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public static byte[] unb64(String text) {
    return Base64.getDecoder().decode(text);
  }
}
