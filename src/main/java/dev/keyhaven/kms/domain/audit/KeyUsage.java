package dev.keyhaven.kms.domain.audit;

import dev.keyhaven.kms.domain.key.KmsAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A key's last successful cryptographic operation as GetKeyLastUsage reports it (AWS KMS API
 * Reference, KeyLastUsageData: Operation, Timestamp, CloudTrailEventId, KmsRequestId), taken from
 * the audit event that records the operation — so the ids it names are those of a durable event.
 *
 * @param operation the action's wire name ({@code Encrypt}, …)
 * @param timestamp the event's time (when the request arrived)
 */
public record KeyUsage(
    UUID keyId, String operation, Instant timestamp, String eventId, String requestId) {

  private static final Set<String> TRACKED =
      Stream.of(KmsAction.values())
          .filter(a -> a.service() == KmsAction.Service.KMS && a.tracksLastUsage())
          .map(KmsAction::wireName)
          .collect(Collectors.toUnmodifiableSet());
  private static final String KEY_ARN_PART = ":key/";

  /**
   * The latest use of each key among {@code events} (in append order): only successful API calls of
   * an action that {@link KmsAction#tracksLastUsage() tracks usage}, once for every key the event
   * names as a resource (ReEncrypt: its source and its destination key, as AWS records both). A key
   * used several times keeps its latest use; of two at the same time, the one appended later. At
   * most one entry per key, in order of first appearance.
   */
  public static List<KeyUsage> latestPerKey(List<AuditEvent> events) {
    Map<UUID, KeyUsage> latest = new LinkedHashMap<>();
    for (AuditEvent e : events) {
      if (!isTrackedSuccess(e)) {
        continue;
      }
      for (AuditEvent.Resource resource : e.resources()) {
        UUID keyId = keyIdOf(resource);
        if (keyId == null) {
          continue;
        }
        KeyUsage use =
            new KeyUsage(keyId, e.eventName(), e.eventTime(), e.eventId(), e.requestId());
        latest.merge(
            keyId, use, (old, now) -> now.timestamp().isBefore(old.timestamp()) ? old : now);
      }
    }
    return new ArrayList<>(latest.values());
  }

  private static boolean isTrackedSuccess(AuditEvent e) {
    return AuditEvent.API_CALL.equals(e.eventType())
        && e.errorCode() == null
        && e.requestId() != null
        && TRACKED.contains(e.eventName());
  }

  /** The key id of a key resource's ARN ({@code …:key/<uuid>}), else null. */
  private static UUID keyIdOf(AuditEvent.Resource resource) {
    if (!AuditEvent.Resource.KMS_KEY.equals(resource.type()) || resource.arn() == null) {
      return null;
    }
    int at = resource.arn().lastIndexOf(KEY_ARN_PART);
    if (at < 0) {
      return null;
    }
    try {
      return UUID.fromString(resource.arn().substring(at + KEY_ARN_PART.length()));
    } catch (IllegalArgumentException notAKeyId) {
      return null;
    }
  }
}
