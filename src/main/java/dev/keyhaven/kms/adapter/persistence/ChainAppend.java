package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.audit.AuditEvent;
import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.domain.audit.ChainHash;
import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.Checkpoint;
import dev.keyhaven.kms.operation.port.AuditSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Links events onto a chain's head held under its row lock: consecutive seqs, each hash linked to
 * the previous one, and a signed checkpoint when N records or T seconds have passed since the last
 * (docs/audit.md). Pure: the caller writes the plan in the same transaction.
 */
final class ChainAppend {
  /** An event's row. */
  record Row(long seq, AuditEvent event, byte[] canonical, byte[] hash) {}

  /**
   * What to write: rows, the new head, a checkpoint (null when none is due) and the writer's
   * renewed lease end.
   */
  record Plan(List<Row> rows, ChainHead head, Checkpoint checkpoint, Instant leaseUntil) {}

  /** When a checkpoint is due, and how long a writer's lease on its chain lasts. */
  record Policy(int everyRecords, Duration every, Duration lease) {}

  private ChainAppend() {}

  static Plan plan(
      ChainHead head,
      List<AuditRecord> entries,
      ChainHash hash,
      AuditSigner signer,
      Policy policy,
      Instant now) {
    List<Row> rows = new ArrayList<>(entries.size());
    long seq = head.lastSeq();
    byte[] previous = head.lastHash();
    for (AuditRecord entry : entries) {
      seq++;
      previous = hash.link(previous, seq, entry.canonical());
      rows.add(new Row(seq, entry.event(), entry.canonical(), previous));
    }
    boolean newRecords = seq > head.checkpointSeq();
    boolean due =
        newRecords
            && (seq - head.checkpointSeq() >= policy.everyRecords()
                || !now.isBefore(head.checkpointTime().plus(policy.every())));
    long chain = head.chainId();
    Instant leaseUntil = now.plus(policy.lease());
    if (!due) {
      return new Plan(
          rows,
          new ChainHead(
              chain,
              seq,
              previous,
              head.checkpointSeq(),
              head.checkpointSignature(),
              head.checkpointTime()),
          null,
          leaseUntil);
    }
    Checkpoint checkpoint =
        signer.sign(
            new Checkpoint(
                chain,
                head.checkpointSeq() + 1,
                seq,
                previous,
                head.checkpointSignature(),
                now,
                null,
                null));
    return new Plan(
        rows,
        new ChainHead(chain, seq, previous, seq, checkpoint.signature(), checkpoint.createdAt()),
        checkpoint,
        leaseUntil);
  }
}
