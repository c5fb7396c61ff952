package dev.keyhaven.kms.adapter.identity;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * Refuses to start with a bearer-JWT configuration that would verify less than security reference
 * P4 requires. SmallRye JWT checks {@code iss} and {@code aud} only when they are configured, and
 * accepts keys under 2048 bits unless told otherwise, so each of these is a startup failure:
 *
 * <ul>
 *   <li>{@code mp.jwt.verify.issuer} or {@code mp.jwt.verify.audiences} unset or blank;
 *   <li>no verification key ({@code mp.jwt.verify.publickey} or {@code
 *       mp.jwt.verify.publickey.location});
 *   <li>{@code mp.jwt.verify.publickey.algorithm} (and its deprecated alias {@code
 *       smallrye.jwt.verify.algorithm}) naming anything outside {@link
 *       JwtAuthenticator#ACCEPTED_ALGORITHMS}, or — for a PEM key — algorithms of two key families
 *       (SmallRye decodes a PEM key with the first algorithm of an unordered set);
 *   <li>an inline JWK/JWKS key that is not a signature-verification key for an accepted algorithm
 *       ({@link #verificationAlgorithms}), or configured algorithms no such key allows;
 *   <li>an effective clock skew ({@code smallrye.jwt.expiration.grace} if positive, else {@code
 *       mp.jwt.verify.clock.skew}) outside 1..{@value #MAX_CLOCK_SKEW_SECONDS} s;
 *   <li>{@code smallrye.jwt.time-to-live} unset or not positive (it makes {@code iat} required and
 *       bounds {@code exp - iat});
 *   <li>{@code smallrye.jwt.verify.relax-key-validation} not {@code false}.
 * </ul>
 */
@ApplicationScoped
public class JwtConfigCheck {
  static final int MAX_CLOCK_SKEW_SECONDS = 60;

  private static final Set<String> RSA = Set.of("RS256", "PS256");
  private static final Set<String> EC = Set.of("ES256");

  void onStart(@Observes StartupEvent event, Config config) {
    List<String> problems = problems(name -> config.getOptionalValue(name, String.class));
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "Refusing to start, bearer-JWT configuration: " + String.join("; ", problems));
    }
  }

  /**
   * The configuration's problems, none when it may start.
   *
   * @param config a property's raw value by name, empty when unset
   */
  static List<String> problems(Function<String, Optional<String>> config) {
    List<String> problems = new ArrayList<>();
    Optional<String> issuer = nonBlank(config, "mp.jwt.verify.issuer");
    if (issuer.isEmpty() || issuer.get().equals("NONE")) {
      problems.add("mp.jwt.verify.issuer must be set");
    }
    if (nonBlank(config, "mp.jwt.verify.audiences").isEmpty()) {
      problems.add("mp.jwt.verify.audiences must be set");
    }
    Optional<String> inlineKey = nonBlank(config, "mp.jwt.verify.publickey");
    Optional<String> keyLocation = nonBlank(config, "mp.jwt.verify.publickey.location");
    if (inlineKey.isEmpty() && keyLocation.isEmpty()) {
      problems.add("mp.jwt.verify.publickey or mp.jwt.verify.publickey.location must be set");
    }
    Set<String> algorithms =
        list(
            nonBlank(config, "smallrye.jwt.verify.algorithm")
                .or(() -> nonBlank(config, "mp.jwt.verify.publickey.algorithm"))
                .orElse("RS256"));
    if (algorithms.isEmpty() || !JwtAuthenticator.ACCEPTED_ALGORITHMS.containsAll(algorithms)) {
      problems.add(
          "mp.jwt.verify.publickey.algorithm must be a non-empty subset of "
              + JwtAuthenticator.ACCEPTED_ALGORITHMS);
    }
    boolean jwk = inlineKey.map(k -> k.strip().startsWith("{")).orElse(false);
    boolean pem =
        inlineKey.map(k -> !jwk).orElse(false)
            || keyLocation.map(l -> l.toLowerCase(Locale.ROOT).endsWith(".pem")).orElse(false);
    if (pem && !(RSA.containsAll(algorithms) || EC.containsAll(algorithms))) {
      problems.add(
          "a PEM key verifies one key family: mp.jwt.verify.publickey.algorithm must be RS256"
              + " and/or PS256 (RSA key) or ES256 (EC key)");
    }
    if (jwk) {
      try {
        String json = inlineKey.get().strip();
        List<JsonWebKey> keys =
            json.contains("\"keys\"")
                ? new JsonWebKeySet(json).getJsonWebKeys()
                : List.of(JsonWebKey.Factory.newJwk(json));
        if (keys.isEmpty() || !keys.stream().allMatch(JwtConfigCheck::usableForVerification)) {
          problems.add("mp.jwt.verify.publickey: every JWK must be a public signature key");
        } else if (!keys.stream()
            .flatMap(k -> verificationAlgorithms(k).stream())
            .collect(Collectors.toSet())
            .containsAll(algorithms)) {
          problems.add(
              "mp.jwt.verify.publickey.algorithm names an algorithm no configured JWK allows");
        }
      } catch (JoseException e) {
        problems.add("mp.jwt.verify.publickey: unreadable JWK");
      }
    }
    int grace = integer(config, "smallrye.jwt.expiration.grace", 0);
    int skew = grace > 0 ? grace : integer(config, "mp.jwt.verify.clock.skew", 60);
    if (skew < 1 || skew > MAX_CLOCK_SKEW_SECONDS) {
      problems.add("clock skew must be 1.." + MAX_CLOCK_SKEW_SECONDS + " s");
    }
    if (integer(config, "smallrye.jwt.time-to-live", 0) <= 0) {
      problems.add("smallrye.jwt.time-to-live must be positive");
    }
    if (!nonBlank(config, "smallrye.jwt.verify.relax-key-validation")
        .map(v -> v.equalsIgnoreCase("false"))
        .orElse(false)) {
      problems.add("smallrye.jwt.verify.relax-key-validation must be false");
    }
    return problems;
  }

  /**
   * The accepted algorithms a JWK may verify (RFC 7517 §4.2–4.4, RFC 7518 §3): none unless its
   * {@code use}, if present, is {@code sig} and its {@code key_ops}, if present, include {@code
   * verify}; then RS256 and PS256 for an RSA key, ES256 for a P-256 key, narrowed to the key's
   * {@code alg} if it names one. SmallRye JWT honours {@code alg} when it picks a key from a JWKS,
   * but not {@code use} or {@code key_ops}, so a key published for encryption is refused here.
   */
  static Set<String> verificationAlgorithms(JsonWebKey key) {
    if ((key.getUse() != null && !key.getUse().equals("sig"))
        || (key.getKeyOps() != null && !key.getKeyOps().contains("verify"))) {
      return Set.of();
    }
    Set<String> family =
        switch (key.getKeyType()) {
          case "RSA" -> RSA;
          case "EC" ->
              key instanceof EllipticCurveJsonWebKey ec
                      && EllipticCurves.P_256.equals(ec.getCurveName())
                  ? EC
                  : Set.of();
          default -> Set.of();
        };
    String alg = key.getAlgorithm();
    return alg == null ? family : family.contains(alg) ? Set.of(alg) : Set.of();
  }

  /** Whether a JWK may verify signatures at all: {@link #verificationAlgorithms} is not empty. */
  static boolean usableForVerification(JsonWebKey key) {
    return !verificationAlgorithms(key).isEmpty();
  }

  private static Optional<String> nonBlank(Function<String, Optional<String>> config, String name) {
    return config.apply(name).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static Set<String> list(String value) {
    return Arrays.stream(value.split(","))
        .map(String::strip)
        .filter(v -> !v.isEmpty())
        .collect(Collectors.toSet());
  }

  private static int integer(Function<String, Optional<String>> config, String name, int absent) {
    Optional<String> value = nonBlank(config, name);
    if (value.isEmpty()) {
      return absent;
    }
    try {
      return Integer.parseInt(value.get());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
