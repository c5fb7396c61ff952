package dev.keyhaven.kms.domain.policy;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Who is calling, as established by authentication.
 *
 * @param principal the caller's IAM principal, e.g. {@code arn:aws:iam::111122223333:root} or
 *     {@code arn:aws:iam::111122223333:role/App}
 * @param credential how the caller proved it (for the audit trail)
 * @param principalTags the caller's session tags (tag key as the issuer spelled it → value), the
 *     {@code aws:PrincipalTag/<key>} condition values; never null, unmodifiable, empty when the
 *     credential carried none
 * @param tokenIssueTime when the caller's temporary credential was issued (a JWT's {@code iat}),
 *     the {@code aws:TokenIssueTime} condition value; null for a long-term credential (an access
 *     key), for which AWS sets no value either
 */
public record CallerIdentity(
    Principal principal,
    Credential credential,
    Map<String, String> principalTags,
    Instant tokenIssueTime) {

  /** Copies {@code principalTags} (null is no tags). */
  public CallerIdentity {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(credential, "credential");
    principalTags = principalTags == null ? Map.of() : Map.copyOf(principalTags);
  }

  /** A caller with a long-term credential and no session tags. */
  public CallerIdentity(Principal principal, Credential credential) {
    this(principal, credential, Map.of(), null);
  }

  /** The caller's principal ARN. */
  public String principalArn() {
    return principal.arn();
  }

  /** The caller's 12-digit account. */
  public String accountId() {
    return principal.accountId();
  }
}
