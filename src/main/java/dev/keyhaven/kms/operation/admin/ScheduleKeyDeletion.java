package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * AWS KMS ScheduleKeyDeletion: the key becomes PendingDeletion for PendingWindowInDays (7–30,
 * default 30); at the end of the window the maintenance job deletes it and its material.
 */
@Action(KmsAction.SCHEDULE_KEY_DELETION)
@ApplicationScoped
public class ScheduleKeyDeletion
    implements KmsOperation<ScheduleKeyDeletion.Request, ScheduleKeyDeletion.Response> {
  static final int DEFAULT_WINDOW_DAYS = 30;

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      // AWS KMS API Reference, ScheduleKeyDeletion PendingWindowInDays: 7 to 30, default 30.
      @Member.Range(min = 7, max = 30) Integer pendingWindowInDays) {}

  public record Response(
      String keyId, Instant deletionDate, String keyState, Integer pendingWindowInDays) {}

  private final KeyUpdates updates;

  ScheduleKeyDeletion(KeyUpdates updates) {
    this.updates = updates;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    int days =
        request.pendingWindowInDays() == null ? DEFAULT_WINDOW_DAYS : request.pendingWindowInDays();
    return updates
        .update(
            context,
            KmsAction.SCHEDULE_KEY_DELETION,
            request.keyId(),
            Conditions.none()
                .with("kms:ScheduleKeyDeletionPendingWindowInDays", Integer.toString(days)),
            key -> key.scheduleDeletion(context.receivedAt(), days))
        .map(
            key ->
                new Response(
                    key.arn().toString(),
                    key.deletionDate(),
                    key.keyState().wireName(),
                    key.pendingDeletionWindowInDays()));
  }
}
