package dev.keyhaven.kms.domain.policy;

/**
 * What one policy says about one request ({@link PolicyEvaluator#evaluate}). Each flag is computed
 * over all statements independently; an explicit deny does not clear the other two.
 *
 * @param explicitDeny a Deny statement matches (principal, action, resource and conditions)
 * @param allowedDirectly an Allow statement matches that names the caller itself, its role, {@code
 *     "*"}, or a NotPrincipal that does not exempt it; in identity policies, any matching Allow
 * @param allowedViaAccount an Allow statement matches only through the caller's ACCOUNT (account id
 *     or {@code :root} ARN): the key policy delegates to the account's identity policies
 */
public record Evaluation(
    boolean explicitDeny, boolean allowedDirectly, boolean allowedViaAccount) {}
