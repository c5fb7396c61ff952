package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.KmsAction;
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

  public record Request(@Member.Required @Member.KeyId String keyId) {}

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
