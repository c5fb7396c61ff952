package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.operation.port.AuditEcho;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The log sink of group-committed audit records (docs/audit.md): each group commit's durable
 * records as one write of their JSON lines to the log category {@value AuditRecorder#LOG_CATEGORY}.
 * Records appended in a state change's transaction are echoed by {@link RequestPipeline} once that
 * transaction committed.
 */
@Singleton
public class AuditSink implements AuditEcho {

  @Override
  public void durable(List<AuditRecord> records) {
    AuditRecorder.emit(records);
  }
}
