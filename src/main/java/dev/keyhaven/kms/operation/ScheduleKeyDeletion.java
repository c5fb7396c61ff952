package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.KmsAction;
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

  public record Request(String keyId, Integer pendingWindowInDays) {}

  public record Response(
      String keyId, Instant deletionDate, String keyState, Integer pendingWindowInDays) {}

  private final KeyUpdates updates;

  ScheduleKeyDeletion(KeyUpdates updates) {
    this.updates = updates;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    new Validator()
        .required("keyId", request.keyId())
        .length("keyId", request.keyId(), 1, 2048)
        // AWS KMS API Reference, ScheduleKeyDeletion PendingWindowInDays: 7 to 30, default 30.
        .range("pendingWindowInDays", request.pendingWindowInDays(), 7, 30)
        .check();
    int days =
        request.pendingWindowInDays() == null ? DEFAULT_WINDOW_DAYS : request.pendingWindowInDays();
    return updates
        .update(
            context,
            KmsAction.SCHEDULE_KEY_DELETION,
            request.keyId(),
            Conditions.none().with("kms:ScheduleKeyDeletionPendingWindowInDays", Integer.toString(days)),
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
