package dev.keyhaven.kms.adapter.identity;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.local.DevIssuer;
import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.parsing.Parser;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * The bearer-JWT negative suite (security reference P4, R10) over HTTP: every forged,
 * mis-addressed, mistimed or header-tampered token is an AWS authentication error — {@code
 * UnrecognizedClientException} (400), {@code ExpiredTokenException} (400) or {@code
 * MissingAuthenticationTokenException} (403) — never a 500; no token header makes the server open a
 * connection; RS256/PS256 with the configured RSA key are accepted and everything else is not;
 * session tags become {@code aws:PrincipalTag/*} condition values.
 */
@QuarkusTest
class JwtNegativeTest {
  private static final String ISSUER = DevIssuer.ISSUER;
  private static final String AUDIENCE = DevIssuer.AUDIENCE;
  private static final String ROOT = "arn:aws:iam::123456789012:root";
  private static final int SKEW = 30;

  private static ValidatableResponse listKeys(String authorization) {
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

  private static void rejectedAsInvalid(String token) {
    listKeys("Bearer " + token)
        .statusCode(400)
        .body("__type", equalTo("UnrecognizedClientException"))
        .body("message", equalTo("The security token included in the request is invalid."));
  }

  private static void accepted(String token) {
    listKeys("Bearer " + token).statusCode(200);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** Valid claims for {@code principal}: issued 10 s ago, valid 5 min, nbf 5 s ago. */
  private static JwtClaims claims(String principal) {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(ISSUER);
    claims.setAudience(AUDIENCE);
    claims.setSubject(principal);
    claims.setIssuedAt(NumericDate.fromSeconds(now() - 10));
    claims.setNotBefore(NumericDate.fromSeconds(now() - 5));
    claims.setExpirationTime(NumericDate.fromSeconds(now() + 300));
    return claims;
  }

  private static JwtClaims claims(Consumer<JwtClaims> change) {
    JwtClaims claims = claims(ROOT);
    change.accept(claims);
    return claims;
  }

  private static String sign(JwtClaims claims, Key key, String alg) {
    return sign(claims, key, alg, jws -> {});
  }

  private static String sign(
      JwtClaims claims, Key key, String alg, Consumer<JsonWebSignature> headers) {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(alg);
    jws.setKey(key);
    jws.setDoKeyValidation(false);
    headers.accept(jws);
    try {
      return jws.getCompactSerialization();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static PrivateKey devKey() {
    try {
      java.lang.reflect.Method privateKey = DevIssuer.class.getDeclaredMethod("privateKey");
      privateKey.setAccessible(true);
      return (PrivateKey) privateKey.invoke(KmsApi.issuer());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsaKeyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static String b64url(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void devKeyRs256_validClaims_accepted() {
    accepted(sign(claims(ROOT), devKey(), AlgorithmIdentifiers.RSA_USING_SHA256));
  }

  @Test
  void noAuthorizationHeader_missingAuthenticationToken() {
    listKeys(null).statusCode(403).body("__type", equalTo("MissingAuthenticationTokenException"));
  }

  @Test
  void algNoneInAnySpelling_unrecognizedClient() {
    String payload = b64url(claims(ROOT).toJson());
    for (String alg : List.of("none", "None", "NONE", "nOnE")) {
      rejectedAsInvalid(b64url("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + payload + ".");
      rejectedAsInvalid(b64url("{\"alg\":\"" + alg + "\"}") + "." + payload + ".c2ln");
    }
    rejectedAsInvalid(b64url("{\"typ\":\"JWT\"}") + "." + payload + ".c2ln");
  }

  // P4: HS256 "signed" with the RSA public key (DER and PEM text) as the HMAC secret.
  @Test
  void hs256KeyedWithRsaPublicKey_unrecognizedClient() {
    String base64 = KmsApi.issuer().publicKeyBase64();
    byte[] der = Base64.getDecoder().decode(base64);
    String pem = "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----";
    for (byte[] secret :
        List.of(
            der,
            pem.getBytes(StandardCharsets.US_ASCII),
            (pem + "\n").getBytes(StandardCharsets.US_ASCII))) {
      for (String alg :
          List.of(
              AlgorithmIdentifiers.HMAC_SHA256,
              AlgorithmIdentifiers.HMAC_SHA384,
              AlgorithmIdentifiers.HMAC_SHA512)) {
        rejectedAsInvalid(sign(claims(ROOT), new HmacKey(secret), alg));
      }
    }
  }

  @Test
  void wrongIssuer_unrecognizedClient() {
    rejectedAsInvalid(sign(claims(c -> c.setIssuer("https://evil.example")), devKey(), "RS256"));
    rejectedAsInvalid(sign(claims(c -> c.setIssuer(ISSUER + "/")), devKey(), "RS256"));
    rejectedAsInvalid(sign(claims(c -> c.unsetClaim("iss")), devKey(), "RS256"));
  }

  @Test
  void wrongAudience_unrecognizedClient() {
    rejectedAsInvalid(sign(claims(c -> c.setAudience("other-service")), devKey(), "RS256"));
    rejectedAsInvalid(sign(claims(c -> c.unsetClaim("aud")), devKey(), "RS256"));
  }

  @Test
  void expiredBeyondSkew_expiredToken() {
    String token =
        sign(
            claims(c -> c.setExpirationTime(NumericDate.fromSeconds(now() - SKEW - 30))),
            devKey(),
            "RS256");
    listKeys("Bearer " + token).statusCode(400).body("__type", equalTo("ExpiredTokenException"));
  }

  // The skew is bounded, not absent: a token expired 10 s ago is still within 30 s of skew.
  @Test
  void expiredWithinSkew_accepted() {
    accepted(
        sign(
            claims(
                c -> {
                  c.setIssuedAt(NumericDate.fromSeconds(now() - 60));
                  c.setNotBefore(NumericDate.fromSeconds(now() - 60));
                  c.setExpirationTime(NumericDate.fromSeconds(now() - 10));
                }),
            devKey(),
            "RS256"));
  }

  @Test
  void notYetValidBeyondSkew_unrecognizedClient() {
    rejectedAsInvalid(
        sign(
            claims(c -> c.setNotBefore(NumericDate.fromSeconds(now() + SKEW + 60))),
            devKey(),
            "RS256"));
  }

  @Test
  void notYetValidWithinSkew_accepted() {
    accepted(
        sign(claims(c -> c.setNotBefore(NumericDate.fromSeconds(now() + 10))), devKey(), "RS256"));
  }

  @Test
  void missingExpOrIat_unrecognizedClient() {
    rejectedAsInvalid(sign(claims(c -> c.unsetClaim("exp")), devKey(), "RS256"));
    rejectedAsInvalid(sign(claims(c -> c.unsetClaim("iat")), devKey(), "RS256"));
  }

  // smallrye.jwt.time-to-live: exp - iat may not exceed 24 h.
  @Test
  void lifetimeOver24Hours_unrecognizedClient() {
    rejectedAsInvalid(
        sign(
            claims(c -> c.setExpirationTime(NumericDate.fromSeconds(now() + 86400))),
            devKey(),
            "RS256"));
  }

  @Test
  void signedByAnotherRsaKey_unrecognizedClient() throws Exception {
    PrivateKey other = rsaKeyPair().getPrivate();
    rejectedAsInvalid(sign(claims(ROOT), other, "RS256"));
    rejectedAsInvalid(sign(claims(ROOT), other, "PS256"));
  }

  @Test
  void signatureStrippedOrTampered_unrecognizedClient() {
    String token = sign(claims(ROOT), devKey(), "RS256");
    String[] parts = token.split("\\.");
    rejectedAsInvalid(parts[0] + "." + parts[1] + ".");
    rejectedAsInvalid(
        parts[0]
            + "."
            + b64url(claims("arn:aws:iam::999999999999:root").toJson())
            + "."
            + parts[2]);
  }

  // A forged token naming a key id the server has never seen, or one built to be a path or SQL.
  @Test
  void unknownOrInjectedKid_unrecognizedClient() throws Exception {
    PrivateKey other = rsaKeyPair().getPrivate();
    for (String kid :
        List.of(
            "unknown-key-2026",
            "../../x",
            "../../../../dev/null",
            "../dev-jwt-public.key",
            "' OR '1'='1",
            "x'; DROP TABLE kms_key; --",
            "https://127.0.0.1/jwks")) {
      rejectedAsInvalid(sign(claims(ROOT), other, "RS256", jws -> jws.setKeyIdHeaderValue(kid)));
      // The classic kid attack: point kid at an empty or public file, then HMAC with its contents.
      rejectedAsInvalid(
          sign(
              claims(ROOT),
              new HmacKey(new byte[32]),
              "HS256",
              jws -> jws.setKeyIdHeaderValue(kid)));
    }
  }

  // Under a PEM key the kid is never a lookup key: the configured key alone decides.
  @Test
  void devKeyWithArbitraryKid_accepted() {
    accepted(sign(claims(ROOT), devKey(), "RS256", jws -> jws.setKeyIdHeaderValue("../../x")));
  }

  @Test
  void jkuOrX5uHeader_refusedAndNeverFetched() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String base = "http://127.0.0.1:" + listener.getLocalPort();
      KeyPair attacker = rsaKeyPair();
      for (String header : List.of("jku", "x5u")) {
        String url = base + "/" + header;
        // Signed by the attacker, whose key the URL would serve, and by the real key: both refused.
        rejectedAsInvalid(
            sign(claims(ROOT), attacker.getPrivate(), "RS256", jws -> jws.setHeader(header, url)));
        rejectedAsInvalid(sign(claims(ROOT), devKey(), "RS256", jws -> jws.setHeader(header, url)));
      }
      rejectedAsInvalid(
          sign(claims(ROOT), attacker.getPrivate(), "RS256", jws -> jws.setHeader("x5c", "[]")));
      assertEquals(0, acceptedConnections(listener));
    }
  }

  // Connections the server made are queued in the backlog even though nothing accepted them.
  private static int acceptedConnections(ServerSocket listener) throws IOException {
    listener.setSoTimeout(500);
    int count = 0;
    while (true) {
      try (Socket ignored = listener.accept()) {
        count++;
      } catch (SocketTimeoutException none) {
        return count;
      }
    }
  }

  @Test
  void embeddedJwkHeader_unrecognizedClient() throws Exception {
    KeyPair attacker = rsaKeyPair();
    PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(attacker.getPublic());
    rejectedAsInvalid(
        sign(
            claims(ROOT),
            attacker.getPrivate(),
            "RS256",
            jws -> jws.getHeaders().setJwkHeaderValue("jwk", jwk)));
  }

  @Test
  void critTypOrCtyHeader_unrecognizedClient() {
    rejectedAsInvalid(
        sign(claims(ROOT), devKey(), "RS256", jws -> jws.setCriticalHeaderNames("exp")));
    rejectedAsInvalid(
        sign(claims(ROOT), devKey(), "RS256", jws -> jws.setHeader("typ", "dpop+jwt")));
    rejectedAsInvalid(
        sign(claims(ROOT), devKey(), "RS256", jws -> jws.setHeader("typ", "secevent+jwt")));
    rejectedAsInvalid(
        sign(claims(ROOT), devKey(), "RS256", jws -> jws.setContentTypeHeaderValue("JWT")));
  }

  @Test
  void acceptedTypValues_accepted() {
    for (String typ : List.of("JWT", "jwt", "at+jwt", "application/at+jwt")) {
      accepted(sign(claims(ROOT), devKey(), "RS256", jws -> jws.setHeader("typ", typ)));
    }
  }

  @Test
  void notCompactJws_unrecognizedClient() {
    String token = sign(claims(ROOT), devKey(), "RS256");
    String[] p = token.split("\\.");
    rejectedAsInvalid(
        "{\"payload\":\""
            + p[1]
            + "\",\"protected\":\""
            + p[0]
            + "\",\"signature\":\""
            + p[2]
            + "\"}");
    rejectedAsInvalid(p[0] + ".." + p[1] + "." + p[2] + ".");
    rejectedAsInvalid(token + "." + p[2]);
    rejectedAsInvalid("%%%." + p[1] + "." + p[2]);
    rejectedAsInvalid(b64url("[1,2]") + "." + p[1] + "." + p[2]);
    rejectedAsInvalid(b64url("{\"alg\":\"RS256\",\"alg\":\"none\"}") + "." + p[1] + "." + p[2]);
  }

  // The configured key is RSA: PS256 verifies with it (mp.jwt.verify.publickey.algorithm
  // RS256,PS256); RS384/RS512/PS384 are outside the accepted set.
  @Test
  void ps256WithDevKey_accepted() {
    accepted(sign(claims(ROOT), devKey(), AlgorithmIdentifiers.RSA_PSS_USING_SHA256));
  }

  @Test
  void rsaAlgorithmsOutsideTheAcceptedSet_unrecognizedClient() {
    for (String alg : List.of("RS384", "RS512", "PS384", "PS512")) {
      rejectedAsInvalid(sign(claims(ROOT), devKey(), alg));
    }
  }

  // ES256 is an accepted algorithm, but the configured key is RSA: no EC key can verify.
  @Test
  void es256WithRsaKeyConfigured_unrecognizedClient() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    rejectedAsInvalid(
        sign(
            claims(ROOT),
            generator.generateKeyPair().getPrivate(),
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
    // The same ES256 signature relabelled RS256.
    String[] p = sign(claims(ROOT), generator.generateKeyPair().getPrivate(), "ES256").split("\\.");
    rejectedAsInvalid(b64url("{\"alg\":\"RS256\"}") + "." + p[1] + "." + p[2]);
  }

  @Test
  void malformedSessionTags_unrecognizedClient() {
    String claim = "https://aws.amazon.com/tags";
    for (Object tags :
        List.<Object>of(
            "Project=Blue",
            Map.of("principal_tags", "Project"),
            Map.of("principal_tags", Map.of("Project", List.of("Blue", "Red"))),
            Map.of("principal_tags", Map.of("Project", 7)),
            Map.of("principal_tags", Map.of("Project", "x".repeat(257))),
            Map.of(
                "principal_tags", Map.of("Project", List.of("Blue"), "project", List.of("Red"))))) {
      rejectedAsInvalid(sign(claims(c -> c.setClaim(claim, tags)), devKey(), "RS256"));
    }
  }

  // Session tags reach policies as aws:PrincipalTag/<key>: an identity policy allowing Encrypt only
  // for Project=Blue admits the Blue session and denies the Red one and the untagged one.
  @Test
  void sessionTags_principalTagConditionDecides() {
    KmsApi root = KmsApi.newAccount();
    String keyId = root.createKey();
    String role = "arn:aws:iam::" + root.accountId() + ":role/Tagged";
    root.callAdmin(
            "PutPrincipalPolicy",
            Map.of(
                "PrincipalArn",
                role,
                "PolicyDocument",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Encrypt\",\"Resource\":\"*\","
                    + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/Project\":\"Blue\"}}}]}"))
        .statusCode(200);
    for (var c : List.of(Map.entry("Blue", 200), Map.entry("Red", 400))) {
      encrypt(sign(tagged(role, c.getKey()), devKey(), "RS256"), keyId).statusCode(c.getValue());
    }
    encrypt(sign(claims(role), devKey(), "RS256"), keyId)
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  private static JwtClaims tagged(String principal, String project) {
    JwtClaims claims = claims(principal);
    claims.setClaim(
        "https://aws.amazon.com/tags",
        Map.of(
            "principal_tags",
            Map.of("project", List.of(project)),
            "transitive_tag_keys",
            List.of("project")));
    return claims;
  }

  private static ValidatableResponse encrypt(String token, String keyId) {
    return KmsApi.request()
        .header("Authorization", "Bearer " + token)
        .header("X-Amz-Target", "TrentService.Encrypt")
        .contentType(KmsApi.CONTENT_TYPE)
        .body(Map.of("KeyId", keyId, "Plaintext", "AQ=="))
        .post("/")
        .then()
        .parser(KmsApi.CONTENT_TYPE, Parser.JSON);
  }
}
