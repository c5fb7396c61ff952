package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyState;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AWS KMS DisableKey: Enabled → Disabled; cryptographic operations then fail with
 * DisabledException.
 */
@Action(KmsAction.DISABLE_KEY)
@ApplicationScoped
public class DisableKey implements KmsOperation<EnableKey.Request, NoResult> {

  private final KeyUpdates updates;

  DisableKey(KeyUpdates updates) {
    this.updates = updates;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, EnableKey.Request request) {
    return updates.changeState(context, KmsAction.DISABLE_KEY, request.keyId(), KeyState.DISABLED);
  }
}
