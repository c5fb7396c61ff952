package dev.keyhaven.kms.domain.policy;

import java.time.Instant;
import java.util.Map;

/**
 * Who is calling, as established by authentication.
 *
 * @param principalArn e.g. {@code arn:aws:iam::111122223333:root} or {@code
 *     arn:aws:iam::111122223333:role/App}
 * @param accountId the 12-digit account of that ARN
 * @param authenticatedBy how the caller proved it (for the audit trail), e.g. {@code
 *     jwt:<issuer>#<subject>}
 * @param principalTags the caller's session tags (tag key as the issuer spelled it → value), the
 *     {@code aws:PrincipalTag/<key>} condition values; never null, unmodifiable, empty when the
 *     credential carried none
 * @param tokenIssueTime when the caller's temporary credential was issued (a JWT's {@code iat}),
 *     the {@code aws:TokenIssueTime} condition value; null for a long-term credential (an access
 *     key), for which AWS sets no value either
 */
public record CallerIdentity(
    String principalArn,
    String accountId,
    String authenticatedBy,
    Map<String, String> principalTags,
    Instant tokenIssueTime) {

  /** Copies {@code principalTags} (null is no tags). */
  public CallerIdentity {
    principalTags = principalTags == null ? Map.of() : Map.copyOf(principalTags);
  }

  /** A caller with a long-term credential. */
  public CallerIdentity(
      String principalArn, String accountId, String authenticatedBy, Map<String, String> principalTags) {
    this(principalArn, accountId, authenticatedBy, principalTags, null);
  }

  /** A caller without session tags. */
  public CallerIdentity(String principalArn, String accountId, String authenticatedBy) {
    this(principalArn, accountId, authenticatedBy, Map.of());
  }
}
