package dev.keyhaven.kms.adapter.identity;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.xks.XksKeyStore;
import dev.keyhaven.kms.operation.port.AccessKeyCredentials;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import dev.keyhaven.kms.operation.port.XksAuthenticator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link XksAuthenticator}: AWS SigV4 as {@link SigV4Verifier} verifies it, with the XKS proxy
 * API's scope — region {@code kms.region}, service {@code kms-xks-proxy} (what AWS KMS signs with,
 * spec Appendix A; {@code kms-xks} is accepted too) — and its replay window of 5 minutes (spec,
 * Appendix A, Task 4). The access key must belong to a key store's principal: a normal Keyhaven
 * access key, the {@code test} pair and JWTs are refused.
 */
@ApplicationScoped
public class XksSigV4Authenticator implements XksAuthenticator {
  /** Credential scope service names accepted; the first is the spec's. */
  static final List<String> SERVICES = List.of("kms-xks-proxy", "kms-xks");

  static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private final Map<String, SigV4Verifier> verifiers = new LinkedHashMap<>();
  private final AccessKeyCredentials credentials;
  private final String partition;

  XksSigV4Authenticator(AccessKeyCredentials credentials, KmsConfig config, Clock clock) {
    this.credentials = credentials;
    this.partition = config.partition();
    for (String service : SERVICES) {
      verifiers.put(
          service,
          new SigV4Verifier(config.region(), service, clock, id -> Optional.empty(), MAX_SKEW));
    }
  }

  @Override
  public Uni<CallerIdentity> authenticate(HttpRequestView request) {
    String authorization = request.headers().get("authorization");
    if (authorization == null || authorization.isBlank()) {
      return Uni.createFrom()
          .failure(
              new KmsException(
                  ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token"));
    }
    if (!SigV4Verifier.isSigV4(authorization)) {
      return Uni.createFrom()
          .failure(SigV4Authorization.incomplete("XKS requests are signed with AWS4-HMAC-SHA256."));
    }
    SigV4Verifier verifier = verifiers.get(SERVICES.get(0));
    String accessKeyId = null;
    try {
      SigV4Authorization parsed = SigV4Authorization.parse(authorization);
      verifier = verifiers.getOrDefault(parsed.service(), verifier);
      accessKeyId = parsed.accessKeyId();
    } catch (KmsException e) {
      return Uni.createFrom().failure(e);
    }
    SigV4Verifier chosen = verifier;
    String id = accessKeyId;
    return credentials
        .find(id)
        .map(
            found -> {
              try {
                return chosen.verify(request, k -> found.filter(c -> c.accessKeyId().equals(k)));
              } finally {
                found.ifPresent(c -> c.secretAccessKey().wipe());
              }
            })
        .map(this::requireStorePrincipal);
  }

  private CallerIdentity requireStorePrincipal(CallerIdentity caller) {
    if (!XksKeyStore.isStorePrincipal(caller.principalArn())
        || !partition.equals(caller.principal().partition())) {
      throw new KmsException(
          ErrorCode.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
    }
    return caller;
  }
}
