package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AWS KMS DisableKeyRotation (API Reference): stops automatic rotation; the material versions made
 * so far stay and keep decrypting. Same key rules as EnableKeyRotation (Enabled symmetric AWS_KMS
 * keys only).
 */
@Action(KmsAction.DISABLE_KEY_ROTATION)
@ApplicationScoped
public class DisableKeyRotation implements KmsOperation<DisableKeyRotation.Request, NoResult> {

  public record Request(@Member.Required @Member.KeyId KeyReference keyId) {}

  private final KeyUpdates updates;

  DisableKeyRotation(KeyUpdates updates) {
    this.updates = updates;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    return updates.change(
        context,
        KmsAction.DISABLE_KEY_ROTATION,
        request.keyId(),
        Conditions.none(),
        key -> key.rotation().automatic() ? key.disableRotation() : key);
  }
}
