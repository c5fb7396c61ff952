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

/** AWS KMS UpdateKeyDescription: replaces the description (0–8192 characters). */
@Action(KmsAction.UPDATE_KEY_DESCRIPTION)
@ApplicationScoped
public class UpdateKeyDescription implements KmsOperation<UpdateKeyDescription.Request, NoResult> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.Length(min = 0, max = 8192) String description) {}

  private final KeyUpdates updates;

  UpdateKeyDescription(KeyUpdates updates) {
    this.updates = updates;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    return updates.change(
        context,
        KmsAction.UPDATE_KEY_DESCRIPTION,
        request.keyId(),
        Conditions.none(),
        key -> key.withDescription(request.description()));
  }
}
