package dev.keyhaven.kms.adapter.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyhaven.kms.adapter.fips.TestVectors;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code json_web_signature_test.json} (401 vectors, 23 groups) against our JWS
 * verification: every {@code invalid} vector is rejected, and — so the rejections are not vacuous —
 * every {@code valid} vector whose algorithm and key we accept is accepted.
 *
 * <p>A vector passes our verification when (1) {@link JwtAuthenticator#checkHeader} accepts its
 * header (compact JWS, {@code alg} RS256/ES256/PS256, no {@code jku/x5u/jwk/crit/cty}), (2) the
 * group's public JWK is one {@link JwtConfigCheck} would let us configure ({@link
 * JwtConfigCheck#verificationAlgorithms} not empty: RSA or P-256, {@code use} sig, {@code key_ops}
 * verify, {@code alg} if present one we accept — groups with only a symmetric key have none, as we
 * never verify HMAC), and (3) the signature verifies under the algorithm constraint a deployment
 * with that key configures (those algorithms) with key validation on — the JWS step SmallRye's
 * {@code DefaultJWTTokenParser} runs (jose4j {@code AlgorithmConstraints} PERMIT list, {@code
 * relax-key-validation=false}). Step 3 is run on jose4j directly because the vectors' payloads
 * ({@code "foo"}) are not JWT claim sets, and jose4j parses claims before it checks the signature.
 * {@link #fullParser_everyVector_unrecognizedClientNeverAnotherException} additionally runs every
 * vector through {@link JwtAuthenticator#verifyToken} with SmallRye's parser keyed with the group's
 * key.
 *
 * <p>Groups whose key or algorithm we never accept (HS*, RS384/RS512, PS384/PS512, ES512, keys for
 * encryption) are rejected in step 1 or 2; for {@code invalid} vectors that is a pass.
 */
class JwtWycheproofJwsTest {
  private static final String FILE = "wycheproof/json_web_signature_test.json";

  private static JsonNode vectors;

  /** Why a vector was rejected, or that it was accepted. */
  enum Outcome {
    ACCEPTED,
    HEADER,
    KEY,
    SIGNATURE
  }

  @BeforeAll
  static void load() {
    vectors = TestVectors.json(FILE);
    assertEquals(401, vectors.get("numberOfTests").asInt());
  }

  private static JsonWebKey publicKeyOf(JsonNode group) throws JoseException {
    return group.has("public") ? JsonWebKey.Factory.newJwk(group.get("public").toString()) : null;
  }

  static Outcome verify(String jws, JsonWebKey key) {
    try {
      JwtAuthenticator.checkHeader(jws);
    } catch (KmsException e) {
      assertEquals(ErrorCode.UNRECOGNIZED_CLIENT, e.code());
      return Outcome.HEADER;
    }
    Set<String> algorithms = key == null ? Set.of() : JwtConfigCheck.verificationAlgorithms(key);
    if (!(key instanceof PublicJsonWebKey publicKey) || algorithms.isEmpty()) {
      return Outcome.KEY;
    }
    try {
      JsonWebSignature signature = new JsonWebSignature();
      signature.setAlgorithmConstraints(
          new AlgorithmConstraints(
              AlgorithmConstraints.ConstraintType.PERMIT, algorithms.toArray(String[]::new)));
      signature.setCompactSerialization(jws);
      signature.setKey(publicKey.getPublicKey());
      signature.setDoKeyValidation(true);
      return signature.verifySignature() ? Outcome.ACCEPTED : Outcome.SIGNATURE;
    } catch (JoseException e) {
      return Outcome.SIGNATURE;
    }
  }

  @Test
  void everyVector_invalidRejectedValidAcceptedWhereAlgorithmAndKeyAccepted() throws Exception {
    Map<String, Map<Outcome, Integer>> invalid = new LinkedHashMap<>();
    Map<String, Integer> validAccepted = new LinkedHashMap<>();
    List<String> mismatches = new ArrayList<>();
    int index = 0;
    for (JsonNode group : vectors.get("testGroups")) {
      String label = index++ + ":" + group.get("comment").asText();
      JsonWebKey key = publicKeyOf(group);
      for (JsonNode test : group.get("tests")) {
        Outcome outcome = verify(test.get("jws").asText(), key);
        boolean valid = test.get("result").asText().equals("valid");
        if (!valid) {
          invalid.computeIfAbsent(label, l -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
          if (outcome == Outcome.ACCEPTED) {
            mismatches.add(
                label
                    + " tcId "
                    + test.get("tcId")
                    + " ("
                    + test.get("comment").asText()
                    + ") accepted");
          }
        } else if (outcome == Outcome.ACCEPTED) {
          validAccepted.merge(label, 1, Integer::sum);
        }
      }
    }
    assertEquals(List.of(), mismatches);
    assertEquals(
        Map.ofEntries(
            Map.entry("0:hs256", Map.of(Outcome.HEADER, 16)),
            Map.entry("1:es256", Map.of(Outcome.HEADER, 10, Outcome.SIGNATURE, 4)),
            Map.entry("2:rs256", Map.of(Outcome.HEADER, 8, Outcome.SIGNATURE, 217)),
            Map.entry("6:ps256", Map.of(Outcome.SIGNATURE, 42)),
            Map.entry("7:ps384", Map.of(Outcome.HEADER, 1)),
            Map.entry("8:ps512", Map.of(Outcome.HEADER, 14, Outcome.KEY, 2)),
            Map.entry("17:rsa_encryption", Map.of(Outcome.KEY, 1)),
            Map.entry("18:ec_key_for_encryption", Map.of(Outcome.KEY, 1)),
            Map.entry("19:rsa_encryption", Map.of(Outcome.KEY, 1)),
            Map.entry("20:ec_key_for_encryption", Map.of(Outcome.KEY, 1)),
            Map.entry("21:base64", Map.of(Outcome.HEADER, 14)),
            Map.entry("22:SpecialCaseEs256", Map.of(Outcome.SIGNATURE, 23))),
        invalid);
    assertEquals(
        355, invalid.values().stream().flatMap(m -> m.values().stream()).mapToInt(i -> i).sum());
    assertEquals(
        Map.of(
            "1:es256",
            1,
            "2:rs256",
            1,
            "3:rs256",
            5,
            "6:ps256",
            6,
            "9:rfc7520",
            1,
            "13:rfc7520WithKeyOps",
            1,
            "22:SpecialCaseEs256",
            1),
        validAccepted);
  }

  // The production entry point with SmallRye's parser keyed per group: nothing gets through and
  // nothing fails with anything but the AWS authentication error (no 500s).
  @Test
  void fullParser_everyVector_unrecognizedClientNeverAnotherException() throws Exception {
    List<String> mismatches = new ArrayList<>();
    int rejected = 0;
    for (JsonNode group : vectors.get("testGroups")) {
      JsonWebKey key = publicKeyOf(group);
      JWTAuthContextInfo info =
          key instanceof PublicJsonWebKey publicKey
              ? new JWTAuthContextInfo(
                  (PublicKey) publicKey.getPublicKey(), "https://wycheproof.example")
              : new JWTAuthContextInfo((PublicKey) null, "https://wycheproof.example");
      info.setExpectedAudience(Set.of("keyhaven"));
      Set<String> algorithms = key == null ? Set.of() : JwtConfigCheck.verificationAlgorithms(key);
      info.setSignatureAlgorithm(
          algorithms.isEmpty()
              ? Set.of(SignatureAlgorithm.RS256)
              : algorithms.stream()
                  .map(SignatureAlgorithm::fromAlgorithm)
                  .collect(java.util.stream.Collectors.toSet()));
      info.setRelaxVerificationKeyValidation(false);
      info.setMaxTimeToLiveSecs(86400L);
      JwtAuthenticator authenticator =
          new JwtAuthenticator(new DefaultJWTParser(info), "sub", "https://aws.amazon.com/tags");
      for (JsonNode test : group.get("tests")) {
        try {
          authenticator.verifyToken(test.get("jws").asText());
          mismatches.add("tcId " + test.get("tcId") + " accepted");
        } catch (KmsException e) {
          if (e.code() != ErrorCode.UNRECOGNIZED_CLIENT) {
            mismatches.add("tcId " + test.get("tcId") + " " + e.code());
          }
          rejected++;
        } catch (RuntimeException e) {
          mismatches.add("tcId " + test.get("tcId") + " " + e);
        }
      }
    }
    assertEquals(List.of(), mismatches);
    assertEquals(401, rejected);
  }
}
