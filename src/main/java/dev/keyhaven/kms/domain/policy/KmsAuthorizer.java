package dev.keyhaven.kms.domain.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The AWS KMS authorization decision for one request: key policy, the caller's identity policies
 * and grants combined (AWS KMS Developer Guide, "Determining access to an AWS KMS key"; IAM User
 * Guide, "Policy evaluation logic" and "Cross-account policy evaluation logic").
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>An explicit Deny in the key policy, then in any identity policy, denies — also over grants
 *       ("Grants can only allow").
 *   <li>With no key policy (IAM-only actions: CreateKey, ListKeys, ListAliases, GenerateRandom,
 *       ...): allowed iff the caller is an account root or an identity policy allows; grants do not
 *       apply.
 *   <li>A grant for the action allows.
 *   <li>Same account (the caller's account equals the account in the key ARN): allowed if the key
 *       policy allows the caller directly ({@code "*"}, its ARN, its role), or the key policy
 *       delegates to the account ({@code :root}/account id) and the caller is that account's root
 *       user or one of its identity policies allows. "No AWS principal ... has any permissions to a
 *       KMS key unless they are explicitly allowed ... in a key policy" (key-policies.html), so an
 *       identity-policy allow without the delegation has no effect.
 *   <li>Cross account (or a resource that is not a key ARN): the key policy must allow the caller
 *       (directly or via its account) AND the caller's own account must allow it — an identity
 *       policy, or the caller being its account's root user, whose access within its own account is
 *       implicit.
 * </ol>
 *
 * <p>Denial messages have AWS's AccessDeniedException wording: {@code User: <p> is not authorized
 * to perform: <a> on resource: <r> with an explicit deny in a resource-based policy} (or {@code
 * identity-based policy}), {@code ... because no resource-based policy allows the <a> action}, or
 * {@code ... because no identity-based policy allows the <a> action}. Stateless and thread-safe.
 */
public final class KmsAuthorizer {
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  private KmsAuthorizer() {}

  /** The outcome; {@code denialMessage} is null when allowed. */
  public record Decision(boolean allowed, String denialMessage) {
    static final Decision ALLOW = new Decision(true, null);
  }

  /**
   * Decides one request.
   *
   * @param keyPolicy the key's policy; null for actions that name no key
   * @param identityPolicies the caller's identity-based policies; null or empty when it has none
   * @param allowedByGrant a grant allows this action to this caller (grants can only allow)
   */
  public static Decision decide(
      AuthorizationRequest request,
      PolicyDocument keyPolicy,
      List<PolicyDocument> identityPolicies,
      boolean allowedByGrant) {
    Evaluation key = keyPolicy == null ? null : PolicyEvaluator.evaluate(keyPolicy, request);
    if (key != null && key.explicitDeny()) {
      return deny(request, "with an explicit deny in a resource-based policy");
    }
    boolean identityAllows = false;
    List<PolicyDocument> identity = identityPolicies == null ? List.of() : identityPolicies;
    for (PolicyDocument p : identity) {
      Evaluation e = PolicyEvaluator.evaluate(p, request);
      if (e.explicitDeny()) {
        return deny(request, "with an explicit deny in an identity-based policy");
      }
      identityAllows |= e.allowedDirectly() || e.allowedViaAccount();
    }
    boolean root =
        Principal.isAccountRootArn(request.principalArn())
            && request.principalArn().contains("::" + request.principalAccount() + ":");
    if (key == null) {
      return root || identityAllows ? Decision.ALLOW : noIdentityAllow(request);
    }
    if (allowedByGrant) {
      return Decision.ALLOW;
    }
    boolean sameAccount = request.principalAccount().equals(keyAccount(request.resourceArn()));
    if (sameAccount && key.allowedDirectly()) {
      return Decision.ALLOW;
    }
    if (!key.allowedDirectly() && !key.allowedViaAccount()) {
      return deny(
          request, "because no resource-based policy allows the " + request.action() + " action");
    }
    return root || identityAllows ? Decision.ALLOW : noIdentityAllow(request);
  }

  /**
   * Whether the key policy admits the caller for this request: no statement of it denies, and an
   * Allow names the caller, its role, {@code "*"} or its account. A denial of another account's key
   * may depend on the key only for a caller its policy admits — one the key's owner chose to share
   * it with; every other caller gets {@link #denyWithoutKey}.
   */
  public static boolean keyPolicyAdmits(AuthorizationRequest request, PolicyDocument keyPolicy) {
    Evaluation key = PolicyEvaluator.evaluate(keyPolicy, request);
    return !key.explicitDeny() && (key.allowedDirectly() || key.allowedViaAccount());
  }

  /**
   * The denial of a key of another account whose policy does not admit the caller — and of a key or
   * alias of another account that does not exist. It is decided from the caller's side alone, its
   * identity policies and the resource as the caller named it, so it is one answer whether or not
   * the resource exists (no existence oracle across accounts): {@code ... with an explicit deny in
   * an identity-based policy} when one denies, else {@code ... because no resource-based policy
   * allows the <a> action}.
   *
   * @param request {@code resourceArn} as the caller sent it (key ARN or alias ARN); condition
   *     values with nothing read from a key (no {@code kms:KeySpec}, {@code aws:ResourceTag/...})
   */
  public static Decision denyWithoutKey(
      AuthorizationRequest request, List<PolicyDocument> identityPolicies) {
    return identityDenies(request, identityPolicies)
        ? deny(request, "with an explicit deny in an identity-based policy")
        : deny(
            request, "because no resource-based policy allows the " + request.action() + " action");
  }

  private static boolean identityDenies(
      AuthorizationRequest request, List<PolicyDocument> identityPolicies) {
    return identityPolicies != null
        && identityPolicies.stream()
            .anyMatch(p -> PolicyEvaluator.evaluate(p, request).explicitDeny());
  }

  /** The account field of an ARN ({@code arn:partition:service:region:account:...}), or null. */
  static String keyAccount(String resourceArn) {
    String[] parts = Wildcards.arnComponents(resourceArn);
    return parts != null && parts[0].equals("arn") && ACCOUNT.matcher(parts[4]).matches()
        ? parts[4]
        : null;
  }

  private static Decision noIdentityAllow(AuthorizationRequest request) {
    return deny(
        request, "because no identity-based policy allows the " + request.action() + " action");
  }

  private static Decision deny(AuthorizationRequest request, String reason) {
    return new Decision(
        false,
        "User: "
            + request.principalArn()
            + " is not authorized to perform: "
            + request.action()
            + " on resource: "
            + request.resourceArn()
            + " "
            + reason);
  }
}
