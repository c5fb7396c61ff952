package dev.keyhaven.kms.adapter.identity;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.Credential;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.port.Authenticator;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;

/**
 * Authenticates {@code Authorization: Bearer <JWT>} in two stages.
 *
 * <ol>
 *   <li>{@link #checkHeader}: the JOSE header is inspected <em>before</em> any key is touched. Only
 *       compact JWS with {@code alg} in {@link #ACCEPTED_ALGORITHMS} (RS256, ES256, PS256) passes —
 *       never {@code none}, never HMAC — and a header carrying key material or a key location
 *       ({@code jwk}, {@code jku}, {@code x5u}), critical extensions ({@code crit}), a nested token
 *       ({@code cty}) or a {@code typ} other than a JWT/access-token type is refused. So no header
 *       value ever causes an outbound request.
 *   <li>SmallRye JWT verifies the signature with the configured key ({@code
 *       mp.jwt.verify.publickey[.location]}) under its algorithm constraint ({@code
 *       mp.jwt.verify.publickey.algorithm}, checked at startup by {@link JwtConfigCheck} to be a
 *       subset of the accepted set), then {@code iss}, {@code aud}, {@code exp} (required), {@code
 *       iat} (required), {@code nbf} (when present), the clock skew and the maximum lifetime.
 * </ol>
 *
 * <p>The principal ARN is read from the claim {@code kms.identity.principal-claim} (default {@code
 * sub}); its account is the caller's account. Session tags are read from the claim {@code
 * kms.identity.session-tags-claim} (default {@value KmsConfig.Identity#DEFAULT_SESSION_TAGS_CLAIM})
 * in AWS's web-identity shape {@code {"principal_tags": {"Key": ["value"]}}} and become {@link
 * CallerIdentity#principalTags()}.
 *
 * <p>Failures are AWS authentication errors and never say more than AWS does; the reason goes to
 * the debug log without the token.
 *
 * <p>A bean of its own type only ({@link Typed}): the {@link Authenticator} bean is {@link
 * CompositeAuthenticator}, which routes bearer tokens here.
 */
@ApplicationScoped
@Typed(JwtAuthenticator.class)
public class JwtAuthenticator implements Authenticator {
  /** The only JWS algorithms a token may name, whatever is configured. */
  public static final Set<String> ACCEPTED_ALGORITHMS = Set.of("RS256", "ES256", "PS256");

  /** Session-tag limits (AWS STS): tags per session, key and value length. */
  static final int MAX_TAGS = 50;

  static final int MAX_TAG_KEY = 128;
  static final int MAX_TAG_VALUE = 256;

  private static final Logger LOG = Logger.getLogger(JwtAuthenticator.class);
  private static final String BEARER = "bearer ";
  private static final Set<String> REFUSED_HEADERS = Set.of("jku", "x5u", "jwk", "crit", "cty");
  private static final Set<String> ACCEPTED_TYPES =
      Set.of("jwt", "application/jwt", "at+jwt", "application/at+jwt");

  static final int CACHE_ENTRIES = 10_000;

  /** The longest a token may be valid ({@code smallrye.jwt.time-to-live}'s default here). */
  static final long DEFAULT_MAX_LIFETIME_SECONDS = 86_400;

  /** The clock skew allowed ({@code mp.jwt.verify.clock.skew}'s default here). */
  static final long DEFAULT_CLOCK_SKEW_SECONDS = 30;

  private final IssuerParsers parsers;
  private final String principalClaim;
  private final String sessionTagsClaim;
  private final VerifiedTokenCache verified;
  private final Clock clock;
  private final long maxLifetimeSeconds;
  private final long clockSkewSeconds;

  @Inject
  JwtAuthenticator(
      JWTParser parser,
      JWTAuthContextInfo context,
      KmsConfig config,
      Clock clock,
      @ConfigProperty(name = "smallrye.jwt.time-to-live", defaultValue = "86400")
          long maxLifetimeSeconds,
      @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "30") long clockSkewSeconds,
      @ConfigProperty(name = "smallrye.jwt.jwks.refresh-interval", defaultValue = "60")
          long jwksRefreshMinutes) {
    this(
        IssuerParsers.of(parser, context, config.identity().additionalIssuers().orElse(List.of())),
        config.identity().principalClaim(),
        config.identity().sessionTagsClaim(),
        new VerifiedTokenCache(clock, CACHE_ENTRIES, Duration.ofMinutes(jwksRefreshMinutes)),
        clock,
        maxLifetimeSeconds,
        clockSkewSeconds);
  }

  /** For tests: a parser with its own context (key, issuer, audience), and no cache. */
  JwtAuthenticator(JWTParser parser, String principalClaim, String sessionTagsClaim) {
    this(
        IssuerParsers.single(parser),
        principalClaim,
        sessionTagsClaim,
        null,
        Clock.systemUTC(),
        DEFAULT_MAX_LIFETIME_SECONDS,
        DEFAULT_CLOCK_SKEW_SECONDS);
  }

  private JwtAuthenticator(
      IssuerParsers parsers,
      String principalClaim,
      String sessionTagsClaim,
      VerifiedTokenCache verified,
      Clock clock,
      long maxLifetimeSeconds,
      long clockSkewSeconds) {
    this.parsers = parsers;
    this.principalClaim = principalClaim;
    this.sessionTagsClaim = sessionTagsClaim;
    this.verified = verified;
    this.clock = clock;
    this.maxLifetimeSeconds = maxLifetimeSeconds;
    this.clockSkewSeconds = clockSkewSeconds;
  }

  @Override
  public Uni<CallerIdentity> authenticate(HttpRequestView request) {
    return Uni.createFrom().item(() -> verify(request));
  }

  /** Verifies the bearer token synchronously (CPU only: no I/O for a configured key). */
  CallerIdentity verify(HttpRequestView request) {
    String authorization = request.headers().get("authorization");
    if (authorization == null || authorization.isBlank()) {
      throw new KmsException(
          ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw invalid("Authorization is not a bearer token");
    }
    String token = authorization.substring(BEARER.length()).trim();
    CallerIdentity cached = verified == null ? null : verified.get(token);
    return cached != null ? cached : verifyToken(token);
  }

  /**
   * Both stages for one compact token.
   *
   * @throws KmsException {@code UnrecognizedClientException} for any invalid token, {@code
   *     ExpiredTokenException} for one past {@code exp} plus the clock skew
   */
  CallerIdentity verifyToken(String token) {
    checkHeader(token);
    JsonWebToken jwt;
    try {
      JWTParser parser = parsers.forIssuer(unverifiedIssuer(token));
      if (parser == null) {
        throw invalid("iss names no trusted issuer");
      }
      jwt = parser.parse(token);
    } catch (ParseException e) {
      if (isExpired(e)) {
        throw new KmsException(
            ErrorCode.EXPIRED_TOKEN, "The security token included in the request is expired");
      }
      // Not the parser's message: it can quote the token's claims.
      throw invalid("token rejected (" + e.getClass().getSimpleName() + ")");
    }
    requireLifetimeWithinBounds(jwt);
    Object claim = jwt.getClaim(principalClaim);
    String principal =
        claim instanceof JsonString s ? s.getString() : claim == null ? null : claim.toString();
    Principal parsed =
        Principal.parse(principal)
            .orElseThrow(() -> invalid("claim " + principalClaim + " is not a principal ARN"));
    CallerIdentity caller =
        new CallerIdentity(
            parsed,
            new Credential.Jwt(jwt.getIssuer(), jwt.getSubject()),
            sessionTags(jwt.getClaim(sessionTagsClaim)),
            Instant.ofEpochSecond(jwt.getIssuedAtTime()));
    if (verified != null) {
      verified.put(token, caller, Instant.ofEpochSecond(jwt.getExpirationTime()));
    }
    return caller;
  }

  /**
   * The token's validity is bounded from now, not only by its own claims: SmallRye checks {@code
   * exp - iat <= time-to-live}, which a token issued "in the future" (iat = now + 20 h, exp = now +
   * 44 h) satisfies while staying valid for 44 hours. So {@code iat} may not be later than now
   * (plus the clock skew), and {@code exp} not further than the maximum lifetime from now.
   */
  private void requireLifetimeWithinBounds(JsonWebToken jwt) {
    long now = clock.instant().getEpochSecond();
    if (jwt.getIssuedAtTime() > now + clockSkewSeconds) {
      throw invalid("iat is in the future");
    }
    if (jwt.getExpirationTime() > now + maxLifetimeSeconds + clockSkewSeconds) {
      throw invalid("exp is further than the maximum lifetime from now");
    }
  }

  /**
   * The {@code iss} a token claims, before anything is verified: it only selects which trusted
   * issuer's verifier checks the token ({@link IssuerParsers}); null when unreadable.
   */
  private static String unverifiedIssuer(String token) {
    try {
      String payload = token.split("\\.", -1)[1];
      Object iss =
          JsonUtil.parseJson(
                  new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
              .get("iss");
      return iss instanceof String s ? s : null;
    } catch (IllegalArgumentException | JoseException | ClassCastException e) {
      return null;
    }
  }

  /**
   * Stage one: the unverified JOSE header of a compact JWS must name an accepted algorithm and
   * nothing that could make verification fetch, trust or interpret anything the token supplies.
   *
   * @return the header's {@code alg}
   * @throws KmsException {@code UnrecognizedClientException} otherwise
   */
  static String checkHeader(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
      throw invalid("not a signed compact JWS");
    }
    Map<String, Object> header;
    try {
      header =
          JsonUtil.parseJson(
              new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | JoseException | ClassCastException e) {
      throw invalid("unreadable JOSE header");
    }
    if (!(header.get("alg") instanceof String alg) || !ACCEPTED_ALGORITHMS.contains(alg)) {
      throw invalid("algorithm not accepted");
    }
    for (String name : REFUSED_HEADERS) {
      if (header.containsKey(name)) {
        throw invalid("refused JOSE header " + name);
      }
    }
    Object typ = header.get("typ");
    if (typ != null
        && !(typ instanceof String t && ACCEPTED_TYPES.contains(t.toLowerCase(Locale.ROOT)))) {
      throw invalid("refused typ");
    }
    return alg;
  }

  /**
   * The session tags in AWS's web-identity claim shape: an object whose {@code principal_tags} maps
   * each tag key to a one-element array (or a plain string) holding the value; {@code
   * transitive_tag_keys} and other members are ignored. Absent claim: no tags. Anything malformed
   * (wrong shape, more than {@value #MAX_TAGS} tags, a key over {@value #MAX_TAG_KEY} or value over
   * {@value #MAX_TAG_VALUE} characters, keys equal but for case) rejects the token, as STS rejects
   * such a web identity token.
   */
  static Map<String, String> sessionTags(Object claim) {
    if (claim == null || claim == JsonValue.NULL) {
      return Map.of();
    }
    if (!(plain(claim) instanceof Map<?, ?> container)) {
      throw invalid("session-tags claim is not an object");
    }
    Object tags = container.get("principal_tags");
    if (tags == null) {
      return Map.of();
    }
    if (!(tags instanceof Map<?, ?> map) || map.size() > MAX_TAGS) {
      throw invalid("principal_tags is not an object of at most " + MAX_TAGS + " tags");
    }
    Map<String, String> result = new LinkedHashMap<>();
    Set<String> lowerKeys = new HashSet<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = (String) e.getKey();
      Object value = e.getValue();
      if (value instanceof List<?> list && list.size() == 1) {
        value = list.get(0);
      }
      if (key.isEmpty()
          || key.length() > MAX_TAG_KEY
          || !(value instanceof String v)
          || v.length() > MAX_TAG_VALUE
          || !lowerKeys.add(key.toLowerCase(Locale.ROOT))) {
        throw invalid("malformed session tag");
      }
      result.put(key, v);
    }
    return result;
  }

  /** JSON-P values (as SmallRye returns custom claims) as plain maps, lists and strings. */
  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach((k, v) -> map.put(k, plain(v)));
      return map;
    }
    if (value instanceof JsonArray array) {
      return array.stream().map(JwtAuthenticator::plain).toList();
    }
    if (value instanceof JsonString string) {
      return string.getString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(JwtAuthenticator::plain).toList();
    }
    return value; // numbers, booleans: not strings, so not tag values
  }

  private static boolean isExpired(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidJwtException invalid && invalid.hasExpired()) {
        return true;
      }
    }
    return false;
  }

  private static KmsException invalid(String reason) {
    LOG.debugf("authentication failed: %s", reason);
    return new KmsException(
        ErrorCode.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
  }
}
