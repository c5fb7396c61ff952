package dev.keyhaven.kms.adapter.identity;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.PrincipalArn;
import dev.keyhaven.kms.operation.port.Authenticator;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Authenticates {@code Authorization: Bearer <JWT>} with SmallRye JWT: signature (RS256 or ES256,
 * key from {@code mp.jwt.verify.publickey[.location]}, a PEM or a JWKS URL), issuer, audience and
 * expiry are verified by the parser as configured. The principal ARN is read from the claim {@code
 * kms.identity.principal-claim} (default {@code sub}); its account is the caller's account.
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
  private static final Logger LOG = Logger.getLogger(JwtAuthenticator.class);
  private static final String BEARER = "bearer ";

  private final JWTParser parser;
  private final String principalClaim;

  JwtAuthenticator(JWTParser parser, KmsConfig config) {
    this.parser = parser;
    this.principalClaim = config.identity().principalClaim();
  }

  @Override
  public Uni<CallerIdentity> authenticate(HttpRequestView request) {
    return Uni.createFrom().item(() -> verify(request));
  }

  /** Verifies the bearer token synchronously (CPU only: no I/O for a configured key). */
  CallerIdentity verify(HttpRequestView request) {
    String authorization = request.headers().get("authorization");
    if (authorization == null || authorization.isBlank()) {
      throw new KmsException(ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw invalid("Authorization is not a bearer token");
    }
    JsonWebToken jwt;
    try {
      jwt = parser.parse(authorization.substring(BEARER.length()).trim());
    } catch (ParseException e) {
      if (isExpired(e)) {
        throw new KmsException(
            ErrorCode.EXPIRED_TOKEN, "The security token included in the request is expired");
      }
      // Not the parser's message: it can quote the token's claims.
      throw invalid("token rejected (" + e.getClass().getSimpleName() + ")");
    }
    Object claim = jwt.getClaim(principalClaim);
    String principal = claim == null ? null : claim.toString();
    String account =
        PrincipalArn.accountOf(principal)
            .orElseThrow(() -> invalid("claim " + principalClaim + " is not a principal ARN"));
    return new CallerIdentity(principal, account, "jwt:" + jwt.getIssuer() + "#" + jwt.getSubject());
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
