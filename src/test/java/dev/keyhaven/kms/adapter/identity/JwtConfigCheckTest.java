package dev.keyhaven.kms.adapter.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link JwtConfigCheck}: the startup check refuses a bearer-JWT configuration without issuer,
 * audience or key, with algorithms outside RS256/ES256/PS256, with an unbounded clock skew or
 * lifetime, or with relaxed key validation (security reference P4). Every {@code @QuarkusTest}
 * starting proves the shipped configuration passes it.
 */
class JwtConfigCheckTest {
  private static Map<String, String> good() {
    Map<String, String> config = new HashMap<>();
    config.put("mp.jwt.verify.issuer", "https://keyhaven.local/dev");
    config.put("mp.jwt.verify.audiences", "keyhaven");
    config.put(
        "mp.jwt.verify.publickey", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----");
    config.put("mp.jwt.verify.publickey.algorithm", "RS256,PS256");
    config.put("mp.jwt.verify.clock.skew", "30");
    config.put("smallrye.jwt.time-to-live", "86400");
    config.put("smallrye.jwt.verify.relax-key-validation", "false");
    return config;
  }

  private static List<String> problems(Map<String, String> config) {
    return JwtConfigCheck.problems(name -> Optional.ofNullable(config.get(name)));
  }

  private static void refused(Map<String, String> config, String expected) {
    List<String> problems = problems(config);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains(expected), problems.toString());
  }

  @Test
  void shippedSettings_accepted() {
    assertEquals(List.of(), problems(good()));
  }

  @Test
  void jwksLocationWithAllThreeAlgorithms_accepted() {
    Map<String, String> config = good();
    config.remove("mp.jwt.verify.publickey");
    config.put("mp.jwt.verify.publickey.location", "https://idp.example/.well-known/jwks.json");
    config.put("mp.jwt.verify.publickey.algorithm", "RS256,ES256,PS256");
    assertEquals(List.of(), problems(config));
  }

  @Test
  void issuerUnsetBlankOrNone_refused() {
    for (String issuer : new String[] {null, " ", "NONE"}) {
      Map<String, String> config = good();
      config.put("mp.jwt.verify.issuer", issuer);
      refused(config, "mp.jwt.verify.issuer");
    }
  }

  @Test
  void audiencesUnsetOrBlank_refused() {
    for (String audiences : new String[] {null, ""}) {
      Map<String, String> config = good();
      config.put("mp.jwt.verify.audiences", audiences);
      refused(config, "mp.jwt.verify.audiences");
    }
  }

  @Test
  void noVerificationKey_refused() {
    Map<String, String> config = good();
    config.remove("mp.jwt.verify.publickey");
    refused(config, "publickey");
  }

  @Test
  void algorithmOutsideAcceptedSet_refused() {
    for (String algorithms : new String[] {"HS256", "none", "RS256,RS384", "ES512", "EdDSA"}) {
      Map<String, String> config = good();
      config.put("mp.jwt.verify.publickey.algorithm", algorithms);
      assertTrue(problems(config).stream().anyMatch(p -> p.contains("subset")), algorithms);
    }
    Map<String, String> alias = good();
    alias.put("smallrye.jwt.verify.algorithm", "HS256");
    assertTrue(problems(alias).stream().anyMatch(p -> p.contains("subset")));
  }

  // SmallRye decodes a PEM key with the first element of an unordered algorithm set.
  @Test
  void pemKeyWithTwoKeyFamilies_refused() {
    Map<String, String> config = good();
    config.put("mp.jwt.verify.publickey.algorithm", "RS256,ES256");
    refused(config, "PEM");
    config.put("mp.jwt.verify.publickey.algorithm", "ES256");
    assertEquals(List.of(), problems(config));
  }

  @Test
  void inlineJwkForEncryption_refused() {
    Map<String, String> config = good();
    config.put("mp.jwt.verify.publickey.algorithm", "ES256");
    String jwk =
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
            + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\",\"use\":\"%s\"}";
    config.put("mp.jwt.verify.publickey", String.format(jwk, "sig"));
    assertEquals(List.of(), problems(config));
    config.put("mp.jwt.verify.publickey", String.format(jwk, "enc"));
    refused(config, "public signature key");
  }

  @Test
  void clockSkewZeroOrOverAMinute_refused() {
    for (String skew : new String[] {"0", "61", "3600", "x"}) {
      Map<String, String> config = good();
      config.put("mp.jwt.verify.clock.skew", skew);
      refused(config, "clock skew");
    }
    Map<String, String> grace = good();
    grace.put("smallrye.jwt.expiration.grace", "120");
    refused(grace, "clock skew");
  }

  @Test
  void lifetimeUnbounded_refused() {
    Map<String, String> config = good();
    config.remove("smallrye.jwt.time-to-live");
    refused(config, "time-to-live");
  }

  @Test
  void relaxedKeyValidation_refused() {
    Map<String, String> config = good();
    config.remove("smallrye.jwt.verify.relax-key-validation");
    refused(config, "relax-key-validation");
  }
}
