package dev.keyhaven.kms.domain.policy;

/**
 * Who is calling, as established by authentication.
 *
 * @param principalArn e.g. {@code arn:aws:iam::111122223333:root} or {@code
 *     arn:aws:iam::111122223333:role/App}
 * @param accountId the 12-digit account of that ARN
 * @param authenticatedBy how the caller proved it (for the audit trail), e.g. {@code
 *     jwt:<issuer>#<subject>}
 */
public record CallerIdentity(String principalArn, String accountId, String authenticatedBy) {}
