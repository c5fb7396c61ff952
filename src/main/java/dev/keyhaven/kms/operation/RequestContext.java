package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.policy.CallerIdentity;
import java.time.Instant;

/**
 * What every operation knows about the request besides its body.
 *
 * @param requestId the {@code x-amzn-RequestId} of the response
 * @param caller the authenticated principal
 * @param region the region this service instance serves (key ARNs name it)
 * @param receivedAt when the request arrived (the clock operations use for dates)
 */
public record RequestContext(
    String requestId, CallerIdentity caller, String region, Instant receivedAt) {

  public String accountId() {
    return caller.accountId();
  }
}
