package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.audit.AuditRecord;
import java.util.List;

/**
 * Where the audit writer echoes group-committed records (docs/audit.md, "Log sink"): once per group
 * commit, with the records the commit made durable, in chain order, after PostgreSQL answered the
 * COMMIT and before any of those appends completes — so never a record that is not durable, and
 * each durable record once. Not called for a batch that failed, nor for an event left out as stale.
 * Must not block; an exception it throws is logged and ignored (the durable row is the record).
 */
public interface AuditEcho {

  /** Echoes {@code records} (durable, in chain order, never empty). */
  void durable(List<AuditRecord> records);

  /** Echoes nothing (tools and tests that run a writer outside the server). */
  AuditEcho NONE = records -> {};
}
