package dev.keyhaven.kms.domain.policy;

import java.util.Locale;

/**
 * Evaluates one policy against one request (IAM User Guide, "Policy evaluation logic"): a statement
 * applies when its principal (key policies; implicit in identity policies), action, resource and
 * every condition match. Stateless, thread-safe, and never throws for a parsed document and a
 * constructed {@link AuthorizationRequest}.
 */
public final class PolicyEvaluator {
  private PolicyEvaluator() {}

  /** The deny / direct-allow / account-delegation flags of {@code policy} for {@code request}. */
  public static Evaluation evaluate(PolicyDocument policy, AuthorizationRequest request) {
    String action = request.action().toLowerCase(Locale.ROOT);
    boolean identity = policy.kind() == PolicyDocument.Kind.IDENTITY_POLICY;
    boolean deny = false;
    boolean direct = false;
    boolean viaAccount = false;
    for (Statement s : policy.statements()) {
      boolean isDeny = s.effect() == Statement.Effect.DENY;
      if ((isDeny && deny) || (!isDeny && direct && viaAccount)) {
        continue; // nothing this statement could add
      }
      if (!s.actionMatches(action) || !s.resourceMatches(request.resourceArn())) {
        continue;
      }
      Principals.Match match =
          identity
              ? Principals.Match.DIRECT
              : s.principalMatch(request.principalArn(), request.principalAccount());
      if (match == Principals.Match.NONE || !s.conditionsHold(request.conditionValues())) {
        continue;
      }
      if (isDeny) {
        deny = true;
      } else if (match == Principals.Match.DIRECT) {
        direct = true;
      } else {
        viaAccount = true;
      }
    }
    return new Evaluation(deny, direct, viaAccount);
  }
}
