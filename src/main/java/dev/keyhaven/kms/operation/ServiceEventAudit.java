package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.audit.AuditEvent;
import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.operation.port.AuditLog;
import dev.keyhaven.kms.operation.port.ServiceEventLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Service events into the audit trail, in the shape AWS writes them (AWS KMS Developer Guide,
 * "RotateKey", "DeleteKey" CloudTrail entries): {@code eventType: AwsServiceEvent}, {@code
 * userIdentity {accountId, invokedBy: "AWS Internal"}}, null request members, {@code
 * serviceEventDetails.keyId} and the key as resource. Appended in the job's transaction, so the
 * event commits exactly with the action. The log-sink line is written when the event is appended:
 * if that transaction then rolls back, the job redoes the action and the sink shows it twice — the
 * stored trail is the record of truth.
 */
@ApplicationScoped
public class ServiceEventAudit implements ServiceEventLog {
  private static final String AWS_INTERNAL = "AWS Internal";

  private final AuditLog log;

  ServiceEventAudit(AuditLog log) {
    this.log = log;
  }

  @Override
  public Uni<Void> record(ServiceEvent e) {
    AuditEvent event =
        new AuditEvent(
            AuditEvent.UserIdentity.service(e.accountId()),
            e.eventTime(),
            e.eventName(),
            e.region(),
            AWS_INTERNAL,
            AWS_INTERNAL,
            null,
            null,
            null,
            null,
            details(e),
            null,
            UUID.randomUUID().toString(),
            false,
            List.of(AuditEvent.Resource.kmsKey(e.accountId(), e.keyArn())),
            AuditEvent.SERVICE_EVENT,
            e.accountId());
    AuditRecord record = AuditRecord.of(event);
    return log.appendInTransaction(record).invoke(() -> AuditRecorder.emit(record));
  }

  /** {@code keyId} (the key's ARN), then the event's own details. */
  private static Map<String, Object> details(ServiceEvent e) {
    Map<String, Object> details = new java.util.LinkedHashMap<>(e.details());
    details.put("keyId", e.keyArn());
    return details;
  }
}
