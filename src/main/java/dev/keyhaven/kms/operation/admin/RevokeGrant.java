package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.GrantRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AWS KMS RevokeGrant (API Reference, RevokeGrant): deletes the grant GrantId on the key (key id or
 * key ARN, cross-account allowed). Needs kms:RevokeGrant on the key (condition key
 * kms:GrantIsForAWSResource = false); every key state. The grant stops allowing anything with the
 * next request (Keyhaven has no propagation delay). DryRun answers DryRunOperationException.
 */
@Action(KmsAction.REVOKE_GRANT)
@ApplicationScoped
public class RevokeGrant implements KmsOperation<RevokeGrant.Request, NoResult> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.Length(min = 1, max = 128) String grantId,
      Boolean dryRun) {}

  private final KeyUpdates updates;
  private final GrantRepository grants;

  RevokeGrant(KeyUpdates updates, GrantRepository grants) {
    this.updates = updates;
    this.grants = grants;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    GrantRules.requireGrantId(request.grantId());
    Conditions conditions = Conditions.none().with("kms:GrantIsForAWSResource", "false");
    return updates
        .withLockedKey(
            context,
            KmsAction.REVOKE_GRANT,
            request.keyId(),
            conditions,
            key ->
                grants
                    .find(key.keyId(), request.grantId())
                    .chain(
                        found -> {
                          found.orElseThrow(() -> GrantRules.grantNotFound(request.grantId()));
                          return grants.delete(key.keyId(), request.grantId());
                        }))
        .replaceWith(NoResult.INSTANCE);
  }
}
