package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * AWS KMS GetKeyRotationStatus (API Reference): whether automatic rotation is enabled, with its
 * RotationPeriodInDays and NextRotationDate. Every key state; false while the key is pending
 * deletion (restored when the deletion is cancelled). Cross-account with the key ARN.
 *
 * <p>OnDemandRotationStartDate names an on-demand rotation still in progress. Keyhaven rotates
 * within the RotateKeyOnDemand request, so none is ever in progress and the member is never sent.
 */
@Action(KmsAction.GET_KEY_ROTATION_STATUS)
@ApplicationScoped
public class GetKeyRotationStatus
    implements KmsOperation<GetKeyRotationStatus.Request, GetKeyRotationStatus.Response> {

  public record Request(@Member.Required @Member.KeyId KeyReference keyId) {}

  public record Response(
      boolean keyRotationEnabled,
      String keyId,
      Integer rotationPeriodInDays,
      Instant nextRotationDate,
      Instant onDemandRotationStartDate) {}

  private final KeyResolver resolver;

  GetKeyRotationStatus(KeyResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return resolver
        .resolve(
            context, KmsAction.GET_KEY_ROTATION_STATUS, request.keyId(), false, Conditions.none())
        .map(key -> status(key.requireStateFor(KmsAction.GET_KEY_ROTATION_STATUS)));
  }

  private static Response status(KmsKey key) {
    // AWS CLI examples answer KeyId with the key id, not the ARN.
    String keyId = key.keyId().toString();
    if (!key.automaticRotationEnabled()) {
      return new Response(false, keyId, null, null, null);
    }
    return new Response(
        true, keyId, key.rotation().periodInDays(), key.rotation().nextRotationDate(), null);
  }
}
