package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KeyState;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** AWS KMS EnableKey: Disabled → Enabled (Enabled stays Enabled). */
@Action(KmsAction.ENABLE_KEY)
@ApplicationScoped
public class EnableKey implements KmsOperation<EnableKey.Request, NoResult> {

  /** Also DisableKey's request. */
  public record Request(@Member.Required @Member.KeyId KeyReference keyId) {}

  private final KeyUpdates updates;

  EnableKey(KeyUpdates updates) {
    this.updates = updates;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    return updates.changeState(context, KmsAction.ENABLE_KEY, request.keyId(), KeyState.ENABLED);
  }
}
