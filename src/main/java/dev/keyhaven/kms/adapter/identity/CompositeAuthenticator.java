package dev.keyhaven.kms.adapter.identity;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.operation.port.AccessKeyLookup;
import dev.keyhaven.kms.operation.port.Authenticator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;

/**
 * The {@link Authenticator}: routes on the {@code Authorization} scheme. {@code AWS4-HMAC-SHA256
 * ...} goes to {@link SigV4Verifier} (AWS General Reference, "Create a signed AWS API request"),
 * anything else to {@link JwtAuthenticator}, which accepts {@code Bearer <JWT>} and answers any
 * other scheme with {@code UnrecognizedClientException}. No header at all is {@code
 * MissingAuthenticationTokenException} (403), as with AWS.
 *
 * <p>Access keys come from the {@link AccessKeyLookup} bean when there is one; without it no
 * access key exists and every SigV4 request is an unknown client. The SigV4 scope must name {@code
 * kms.region} and the service {@code kms}.
 */
@ApplicationScoped
public class CompositeAuthenticator implements Authenticator {
  static final String SERVICE = "kms";

  private final Authenticator bearer;
  private final SigV4Verifier sigV4;

  @Inject
  CompositeAuthenticator(
      JwtAuthenticator jwt, Instance<AccessKeyLookup> lookups, KmsConfig config, Clock clock) {
    this(jwt, new SigV4Verifier(config.region(), SERVICE, clock, accessKeys(lookups)));
  }

  CompositeAuthenticator(Authenticator bearer, SigV4Verifier sigV4) {
    this.bearer = bearer;
    this.sigV4 = sigV4;
  }

  @Override
  public CallerIdentity authenticate(HttpRequestView request) {
    String authorization = request.headers().get("authorization");
    if (authorization == null || authorization.isBlank()) {
      throw new KmsException(ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    }
    if (SigV4Verifier.isSigV4(authorization)) {
      return sigV4.verify(request);
    }
    return bearer.authenticate(request);
  }

  /** The lookup bean (a client proxy when it is normal-scoped); none means no access keys. */
  private static AccessKeyLookup accessKeys(Instance<AccessKeyLookup> lookups) {
    return lookups.isUnsatisfied() ? accessKeyId -> Optional.empty() : lookups.get();
  }
}
