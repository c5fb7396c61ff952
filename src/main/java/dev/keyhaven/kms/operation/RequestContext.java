package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.Principal;
import java.time.Instant;

/**
 * What every operation knows about the request besides its body.
 *
 * @param requestId the {@code x-amzn-RequestId} of the response
 * @param caller the authenticated principal
 * @param region the region this service instance serves (key ARNs name it)
 * @param partition the partition this service instance serves; every caller is a principal of it
 * @param receivedAt when the request arrived (the clock operations use for dates)
 * @param sourceIp the client address of the connection ({@code aws:SourceIp}), null if none
 * @param secureTransport whether the request came over TLS ({@code aws:SecureTransport})
 * @param touchedKeys the keys the request resolved (its audit event's resources)
 */
public record RequestContext(
    String requestId,
    CallerIdentity caller,
    String region,
    String partition,
    Instant receivedAt,
    String sourceIp,
    boolean secureTransport,
    TouchedKeys touchedKeys) {

  public RequestContext(
      String requestId,
      CallerIdentity caller,
      String region,
      String partition,
      Instant receivedAt,
      String sourceIp,
      boolean secureTransport) {
    this(
        requestId,
        caller,
        region,
        partition,
        receivedAt,
        sourceIp,
        secureTransport,
        new TouchedKeys());
  }

  /** A request with no network origin (work the service does itself, tests). */
  public RequestContext(
      String requestId,
      CallerIdentity caller,
      String region,
      String partition,
      Instant receivedAt) {
    this(requestId, caller, region, partition, receivedAt, null, false);
  }

  /** The caller's account root, {@code arn:<partition>:iam::<account>:root}. */
  public String accountRoot() {
    return Principal.root(partition, caller.accountId()).arn();
  }

  public String accountId() {
    return caller.accountId();
  }
}
