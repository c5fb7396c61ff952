package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.KeyState;
import dev.keyhaven.kms.domain.key.KmsAction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** AWS KMS DisableKey: Enabled → Disabled; cryptographic operations then fail with DisabledException. */
@Action(KmsAction.DISABLE_KEY)
@ApplicationScoped
public class DisableKey implements KmsOperation<DisableKey.Request, NoResult> {

  public record Request(@Member.Required @Member.KeyId String keyId) {}

  private final KeyUpdates updates;

  DisableKey(KeyUpdates updates) {
    this.updates = updates;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    return updates
        .update(context, KmsAction.DISABLE_KEY, request.keyId(), Conditions.none(), key -> key.keyState() == KeyState.DISABLED ? key : key.withState(KeyState.DISABLED))
        .replaceWith(NoResult.INSTANCE);
  }
}
