package dev.keyhaven.kms.adapter.identity;

import static org.hamcrest.Matchers.equalTo;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.parsing.Parser;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * Bearer-JWT authentication: every forged, expired or misaddressed token is an AWS authentication
 * error (security reference P4, R10), never a 500; and until key policies land a principal reaches
 * only its own account's keys.
 */
@QuarkusTest
class AuthenticationTest {
  private static final String ROOT = "arn:aws:iam::123456789012:root";

  private static ValidatableResponse withAuthorization(String authorization) {
    var request =
        KmsApi.request()
            .header("X-Amz-Target", "TrentService.ListKeys")
            .contentType(KmsApi.CONTENT_TYPE)
            .body("{}");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request.post("/").then().parser(KmsApi.CONTENT_TYPE, Parser.JSON);
  }

  private static String token(JwtClaims claims, java.security.Key key, String algorithm)
      throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(algorithm);
    jws.setKey(key);
    jws.setDoKeyValidation(false);
    return jws.getCompactSerialization();
  }

  private static JwtClaims claims(String issuer, String audience, long expiresInSeconds) {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(issuer);
    claims.setAudience(audience);
    claims.setSubject(ROOT);
    long now = System.currentTimeMillis() / 1000;
    claims.setIssuedAt(NumericDate.fromSeconds(now - 10));
    claims.setExpirationTime(NumericDate.fromSeconds(now + expiresInSeconds));
    return claims;
  }

  private static void rejectedAsInvalid(String authorization) {
    withAuthorization(authorization)
        .statusCode(400)
        .body("__type", equalTo("UnrecognizedClientException"))
        .body("message", equalTo("The security token included in the request is invalid."));
  }

  @Test
  void validDevToken_authenticated() {
    withAuthorization("Bearer " + KmsApi.issuer().mint(ROOT, Duration.ofMinutes(5)))
        .statusCode(200);
  }

  @Test
  void noAuthorization_missingAuthenticationToken() {
    withAuthorization(null)
        .statusCode(403)
        .body("__type", equalTo("MissingAuthenticationTokenException"));
  }

  @Test
  void notBearerOrGarbage_unrecognizedClient() {
    rejectedAsInvalid("Basic dXNlcjpwYXNz");
    rejectedAsInvalid("Bearer not.a.jwt");
    rejectedAsInvalid("Bearer ");
  }

  @Test
  void sigV4MissingParameters_incompleteSignature() {
    withAuthorization("AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/kms/aws4_request")
        .statusCode(400)
        .body("__type", equalTo("IncompleteSignatureException"));
  }

  // No AccessKeyLookup bean yet: a well-formed, current SigV4 request names an unknown key.
  @Test
  void sigV4WellFormedUnknownAccessKey_unrecognizedClient() {
    java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
    String amzDate =
        now.format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
    KmsApi.request()
        .header("X-Amz-Target", "TrentService.ListKeys")
        .header("X-Amz-Date", amzDate)
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"
                + amzDate.substring(0, 8)
                + "/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature="
                + "0".repeat(64))
        .contentType(KmsApi.CONTENT_TYPE)
        .body("{}")
        .post("/")
        .then()
        .parser(KmsApi.CONTENT_TYPE, Parser.JSON)
        .statusCode(400)
        .body("__type", equalTo("UnrecognizedClientException"))
        .body("message", equalTo("The security token included in the request is invalid."));
  }

  @Test
  void algNone_unrecognizedClient() throws Exception {
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    String payload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                claims("https://keyhaven.local/dev", "keyhaven", 300)
                    .toJson()
                    .getBytes(StandardCharsets.UTF_8));
    rejectedAsInvalid("Bearer " + header + "." + payload + ".");
  }

  // P4: HS256 "signed" with the RSA public key as the HMAC secret must not verify.
  @Test
  void hs256WithPublicKeyAsSecret_unrecognizedClient() throws Exception {
    byte[] publicKey = Base64.getDecoder().decode(KmsApi.issuer().publicKeyBase64());
    rejectedAsInvalid(
        "Bearer "
            + token(
                claims("https://keyhaven.local/dev", "keyhaven", 300),
                new HmacKey(publicKey),
                AlgorithmIdentifiers.HMAC_SHA256));
  }

  @Test
  void signedByAnotherKey_unrecognizedClient() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
    generator.initialize(2048);
    rejectedAsInvalid(
        "Bearer "
            + token(
                claims("https://keyhaven.local/dev", "keyhaven", 300),
                generator.generateKeyPair().getPrivate(),
                AlgorithmIdentifiers.RSA_USING_SHA256));
  }

  @Test
  void expired_expiredTokenException() {
    String expired = KmsApi.issuer().mint(ROOT, Duration.ofSeconds(-3600));
    withAuthorization("Bearer " + expired)
        .statusCode(400)
        .body("__type", equalTo("ExpiredTokenException"));
  }

  // Issue 16 (4): exp - iat <= 24 h alone let a token issued "in the future" (iat now + 20 h,
  // exp now + 44 h) through, valid for 44 hours. Both ends are bounded from now.
  @Test
  void issuedInTheFutureOrValidBeyondTheMaximumLifetime_unrecognizedClient() throws Exception {
    java.lang.reflect.Method privateKey =
        dev.keyhaven.kms.local.DevIssuer.class.getDeclaredMethod("privateKey");
    privateKey.setAccessible(true);
    java.security.Key key = (java.security.Key) privateKey.invoke(KmsApi.issuer());
    long now = System.currentTimeMillis() / 1000;
    JwtClaims future = claims("https://keyhaven.local/dev", "keyhaven", 44 * 3600);
    future.setIssuedAt(NumericDate.fromSeconds(now + 20 * 3600));
    rejectedAsInvalid("Bearer " + token(future, key, AlgorithmIdentifiers.RSA_USING_SHA256));
    JwtClaims slightlyAhead = claims("https://keyhaven.local/dev", "keyhaven", 300);
    slightlyAhead.setIssuedAt(NumericDate.fromSeconds(now + 120));
    rejectedAsInvalid("Bearer " + token(slightlyAhead, key, AlgorithmIdentifiers.RSA_USING_SHA256));
    // Within the bounds (iat a few seconds ahead, inside the 30 s skew; 23 h left): accepted.
    JwtClaims withinSkew = claims("https://keyhaven.local/dev", "keyhaven", 23 * 3600);
    withinSkew.setIssuedAt(NumericDate.fromSeconds(now + 5));
    withAuthorization("Bearer " + token(withinSkew, key, AlgorithmIdentifiers.RSA_USING_SHA256))
        .statusCode(200);
  }

  @Test
  void wrongIssuerOrAudience_unrecognizedClient() throws Exception {
    java.lang.reflect.Method privateKey =
        dev.keyhaven.kms.local.DevIssuer.class.getDeclaredMethod("privateKey");
    privateKey.setAccessible(true);
    java.security.Key key = (java.security.Key) privateKey.invoke(KmsApi.issuer());
    rejectedAsInvalid(
        "Bearer "
            + token(
                claims("https://evil.example", "keyhaven", 300),
                key,
                AlgorithmIdentifiers.RSA_USING_SHA256));
    rejectedAsInvalid(
        "Bearer "
            + token(
                claims("https://keyhaven.local/dev", "other-service", 300),
                key,
                AlgorithmIdentifiers.RSA_USING_SHA256));
    JwtClaims notAnArn = claims("https://keyhaven.local/dev", "keyhaven", 300);
    notAnArn.setSubject("alice");
    rejectedAsInvalid("Bearer " + token(notAnArn, key, AlgorithmIdentifiers.RSA_USING_SHA256));
  }

  @Test
  void otherAccountsKeyArn_accessDeniedWithoutRevealingExistence() {
    KmsApi owner = KmsApi.newAccount();
    KmsApi stranger = KmsApi.newAccount();
    String keyId = owner.createKey();
    String arn = owner.arnOf(keyId);
    stranger
        .call("Encrypt", Map.of("KeyId", arn, "Plaintext", "AQ=="))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"))
        .body(
            "message",
            equalTo(
                "User: "
                    + stranger.principalArn()
                    + " is not authorized to perform: kms:Encrypt on resource: "
                    + arn
                    + " because no resource-based policy allows the kms:Encrypt action"));
    String unknownArn = owner.arnOf("00000000-0000-0000-0000-000000000000");
    stranger
        .call("DescribeKey", Map.of("KeyId", unknownArn))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    stranger
        .call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
    stranger
        .call("DisableKey", Map.of("KeyId", arn))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    owner
        .call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyMetadata.KeyState", equalTo("Enabled"));
  }

  // The token's principal is the one policies decide for: a role with no policy allowing it is
  // denied in its own name, and allowed once its account root grants it an identity policy.
  @Test
  void rolePrincipal_authorizedAsTheRole() {
    KmsApi root = KmsApi.newAccount();
    String keyId = root.createKey();
    String role = "arn:aws:iam::" + root.accountId() + ":role/App";
    KmsApi app = root.as(role);
    app.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "AQ=="))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"))
        .body("message", org.hamcrest.Matchers.startsWith("User: " + role + " is not authorized"));
    root.callAdmin(
            "PutPrincipalPolicy",
            Map.of(
                "PrincipalArn",
                role,
                "PolicyDocument",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}]}"))
        .statusCode(200);
    app.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "AQ==")).statusCode(200);
  }
}
