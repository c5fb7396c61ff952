package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.audit.AuditRecord;
import io.smallrye.mutiny.Uni;

/**
 * The audit trail's write side (docs/audit.md). Both methods complete only once the event is
 * durable in PostgreSQL, linked into the hash chain; they fail — and the caller must fail its
 * request — when it cannot be made durable (fail closed).
 */
public interface AuditLog {

  /**
   * Appends an event in its own transaction, group-committed with other requests' events. For
   * events that change no state: reads, cryptographic operations, failures.
   */
  default Uni<Void> append(AuditRecord record) {
    return append(record, CachedReads.NONE);
  }

  /**
   * As {@link #append(AuditRecord)}, for an answer that relied on cached state: the event is made
   * durable only if every version in {@code reads} is still current in the transaction that writes
   * it; otherwise nothing is written and the Uni fails with {@link StaleStateException}.
   */
  Uni<Void> append(AuditRecord record, CachedReads reads);

  /**
   * Appends an event inside the caller's current transaction, so the event and the state change it
   * records commit together or not at all. Such a request reads fresh state only (its attempt began
   * fresh), so there is nothing to check. Call it last in the transaction: it holds the chain
   * head's row lock until commit.
   */
  Uni<Void> appendInTransaction(AuditRecord record);

  /**
   * Readiness (docs/self-hosting.md, "Health"): completes when this writer can write its chain now
   * — PostgreSQL reachable and accepting a write on the chain's row — and fails otherwise. Writes
   * no event.
   */
  Uni<Void> probe();

  /**
   * Why appends are failing, or null: an append failed within {@code window} and none has committed
   * since.
   */
  String unwritableSince(java.time.Duration window);
}
