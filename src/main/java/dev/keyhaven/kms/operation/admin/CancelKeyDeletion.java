package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AWS KMS CancelKeyDeletion: PendingDeletion → Disabled (API Reference: "the KMS key is in the
 * Disabled state" afterwards, not Enabled).
 */
@Action(KmsAction.CANCEL_KEY_DELETION)
@ApplicationScoped
public class CancelKeyDeletion
    implements KmsOperation<CancelKeyDeletion.Request, CancelKeyDeletion.Response> {

  public record Request(@Member.Required @Member.KeyId KeyReference keyId) {}

  public record Response(String keyId) {}

  private final KeyUpdates updates;

  CancelKeyDeletion(KeyUpdates updates) {
    this.updates = updates;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return updates
        .update(
            context,
            KmsAction.CANCEL_KEY_DELETION,
            request.keyId(),
            Conditions.none(),
            KmsKey::cancelDeletion)
        .map(key -> new Response(key.arn().toString()));
  }
}
