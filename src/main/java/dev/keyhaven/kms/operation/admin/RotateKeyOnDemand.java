package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.Origin;
import dev.keyhaven.kms.domain.key.RotationType;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AWS KMS RotateKeyOnDemand (API Reference): a new material version at once, whether or not
 * automatic rotation is on, without changing its schedule. Enabled symmetric keys only, checked in
 * AWS's order (state, then spec: {@link dev.keyhaven.kms.domain.key.KmsKey#requireStateFor}); at
 * most 25 per key (LimitExceededException); ConflictException while an automatic rotation is due
 * within 20 minutes. For an AWS_KMS key the new material is generated; for an EXTERNAL key it is
 * the imported material pending rotation (ImportKeyMaterial with ImportType NEW_KEY_MATERIAL),
 * without which the answer is KMSInvalidStateException {@code No available key material pending
 * rotation for the key: <key ARN>.}. The rotation completes inside the request (the key row stays
 * locked while the new version is written), so it is never "in progress" afterwards. KeyId in the
 * response is the key ARN, as recorded from AWS.
 */
@Action(KmsAction.ROTATE_KEY_ON_DEMAND)
@ApplicationScoped
public class RotateKeyOnDemand
    implements KmsOperation<RotateKeyOnDemand.Request, RotateKeyOnDemand.Response> {

  public record Request(@Member.Required @Member.KeyId KeyReference keyId) {}

  public record Response(String keyId) {}

  private final KeyUpdates updates;
  private final KeyMaterials materials;

  RotateKeyOnDemand(KeyUpdates updates, KeyMaterials materials) {
    this.updates = updates;
    this.materials = materials;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return updates
        .withLockedKey(
            context,
            KmsAction.ROTATE_KEY_ON_DEMAND,
            request.keyId(),
            Conditions.none(),
            key ->
                key.origin() == Origin.EXTERNAL
                    ? materials.rotateToPending(key, context.receivedAt())
                    : materials.rotate(
                        key.requireOnDemandRotationAllowed(context.receivedAt()),
                        RotationType.ON_DEMAND,
                        context.receivedAt()))
        .map(key -> new Response(key.arn().toString()));
  }
}
