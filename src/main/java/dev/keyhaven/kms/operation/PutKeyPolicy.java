package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.KmsAction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AWS KMS PutKeyPolicy: replaces the key policy after the checks of {@link KeyPolicies}. Takes
 * effect on the next request on every instance.
 */
@Action(KmsAction.PUT_KEY_POLICY)
@ApplicationScoped
public class PutKeyPolicy implements KmsOperation<PutKeyPolicy.Request, NoResult> {

  public record Request(
      String keyId, String policyName, String policy, Boolean bypassPolicyLockoutSafetyCheck) {}

  private final KeyUpdates updates;
  private final KeyPolicies policies;

  PutKeyPolicy(KeyUpdates updates, KeyPolicies policies) {
    this.updates = updates;
    this.policies = policies;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    new Validator()
        .required("keyId", request.keyId())
        .required("policy", request.policy())
        .length("keyId", request.keyId(), 1, 2048)
        .length("policyName", request.policyName(), 1, 128)
        .length("policy", request.policy(), 1, 131072)
        .check();
    PolicyNames.requireDefault(request.policyName());
    boolean bypass = Boolean.TRUE.equals(request.bypassPolicyLockoutSafetyCheck());
    return updates
        .updateWith(
            context,
            KmsAction.PUT_KEY_POLICY,
            request.keyId(),
            Conditions.none().with("kms:BypassPolicyLockoutSafetyCheck", Boolean.toString(bypass)),
            key ->
                policies
                    .validate(context, key.arn().toString(), request.policy(), bypass)
                    .replaceWith(key.withPolicy(request.policy())))
        .replaceWith(NoResult.INSTANCE);
  }
}
