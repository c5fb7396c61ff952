package dev.keyhaven.kms.adapter.identity;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JWT verifier of each trusted OIDC issuer (docs/self-hosting.md): the configured one ({@code
 * mp.jwt.verify.*}) and those of {@code kms.identity.additional-issuers}, each {@code
 * <issuer>|<JWKS URL>}, which share the first one's audiences, algorithms, clock skew, lifetime
 * bound and required claims and differ only in {@code iss} and keys.
 *
 * <p>Contract: a token is verified only by the verifier of the issuer its (unverified) {@code iss}
 * names, exactly; a token naming no trusted issuer gets no verifier and is refused before any key
 * is looked up — so it cannot make the server fetch a JWKS (and spend the at-most-once-a-minute
 * forced refresh that a real key rotation needs). Each verifier has its own JWKS cache, refreshed
 * on its own (SmallRye's key resolver), so one issuer's keys never verify another issuer's tokens.
 */
final class IssuerParsers {
  /** The verifier of every token (tests: the parser's own context checks {@code iss}); or null. */
  private final JWTParser any;

  private final Map<String, JWTParser> byIssuer;

  private IssuerParsers(JWTParser any, Map<String, JWTParser> byIssuer) {
    this.any = any;
    this.byIssuer = byIssuer;
  }

  /** One parser for every token, whose own context checks the issuer (tests). */
  static IssuerParsers single(JWTParser parser) {
    return new IssuerParsers(parser, Map.of());
  }

  /**
   * The configured issuer and {@code entries}, each {@code <issuer>|<JWKS URL>}.
   *
   * @throws IllegalStateException for a malformed entry, or one naming the configured issuer (the
   *     server does not start)
   */
  static IssuerParsers of(
      JWTParser primary, JWTAuthContextInfo primaryContext, List<String> entries) {
    Map<String, JWTParser> additional = new LinkedHashMap<>();
    String primaryIssuer = primaryContext.getIssuedBy();
    if (primaryIssuer == null) {
      return single(primary); // unconfigured: JwtConfigCheck stops the start
    }
    additional.put(primaryIssuer, primary);
    for (String entry : entries) {
      String[] parts = entry.strip().split("\\|", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalStateException(
            "kms.identity.additional-issuers: '" + entry + "' is not <issuer>|<JWKS URL>");
      }
      String issuer = parts[0].strip();
      if (additional.containsKey(issuer)) {
        throw new IllegalStateException(
            "kms.identity.additional-issuers: issuer " + issuer + " is configured twice");
      }
      JWTAuthContextInfo context = new JWTAuthContextInfo(primaryContext);
      context.setIssuedBy(issuer);
      context.setPublicKeyContent(null);
      context.setPublicVerificationKey(null);
      context.setPublicKeyLocation(parts[1].strip());
      additional.put(issuer, new DefaultJWTParser(context));
    }
    return new IssuerParsers(null, Map.copyOf(additional));
  }

  /**
   * The verifier for a token whose unverified {@code iss} is {@code issuer}; null when no trusted
   * issuer has that exact name (the token is refused).
   */
  JWTParser forIssuer(String issuer) {
    if (any != null) {
      return any;
    }
    return issuer == null ? null : byIssuer.get(issuer);
  }
}
