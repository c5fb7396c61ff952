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
 * AWS KMS EnableKeyRotation (API Reference): automatic rotation of a symmetric encryption key's
 * AWS-generated material every RotationPeriodInDays (90–2560, default 365), the first rotation one
 * period from now. Called again while rotation is on, it changes the period and keeps the
 * schedule's anchor ({@link dev.keyhaven.kms.domain.key.Rotation#enable}). Enabled keys only;
 * asymmetric, HMAC, imported and custom-key-store keys answer UnsupportedOperationException.
 * Condition key {@code kms:RotationPeriodInDays}. The maintenance job does the rotating.
 */
@Action(KmsAction.ENABLE_KEY_ROTATION)
@ApplicationScoped
public class EnableKeyRotation implements KmsOperation<EnableKeyRotation.Request, NoResult> {
  static final int DEFAULT_PERIOD_DAYS = 365;

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      // AWS KMS API Reference, EnableKeyRotation RotationPeriodInDays: 90 to 2560, default 365.
      @Member.Range(min = 90, max = 2560) Integer rotationPeriodInDays) {}

  private final KeyUpdates updates;

  EnableKeyRotation(KeyUpdates updates) {
    this.updates = updates;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    int days =
        request.rotationPeriodInDays() == null
            ? DEFAULT_PERIOD_DAYS
            : request.rotationPeriodInDays();
    return updates.change(
        context,
        KmsAction.ENABLE_KEY_ROTATION,
        request.keyId(),
        Conditions.none().with("kms:RotationPeriodInDays", Integer.toString(days)),
        key -> key.enableRotation(context.receivedAt(), days));
  }
}
