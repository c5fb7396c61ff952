package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyPolicies;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
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
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Length(min = 1, max = 128) String policyName,
      @Member.Required @Member.Length(min = 1, max = 131072) String policy,
      Boolean bypassPolicyLockoutSafetyCheck) {}

  private final KeyUpdates updates;
  private final KeyPolicies policies;

  PutKeyPolicy(KeyUpdates updates, KeyPolicies policies) {
    this.updates = updates;
    this.policies = policies;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
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
