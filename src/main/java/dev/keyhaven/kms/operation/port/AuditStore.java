package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.Checkpoint;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The audit trail's read side: records for verification and lookup, checkpoints, the head. */
public interface AuditStore {

  /** One stored record: its position, stored hash and canonical JSON bytes. */
  record StoredRecord(long seq, byte[] hash, byte[] canonical) {}

  /**
   * What LookupEvents asks for; null members do not filter.
   *
   * @param accountId events where this account is the caller or the key owner
   * @param beforeSeq only events with a smaller seq (pagination), null for the newest
   */
  record Query(
      String accountId,
      String keyArn,
      String principalArn,
      String eventName,
      Instant startTime,
      Instant endTime,
      boolean errorsOnly,
      Long beforeSeq,
      int limit) {}

  /** A record found by {@link #lookup}: its seq (the page marker), summary and canonical JSON. */
  record FoundEvent(
      long seq, String eventId, String eventName, Instant eventTime, String principalArn, String json) {}

  /**
   * Runs {@code reads} against one consistent snapshot of the trail: everything read through the
   * store it is given sees the same committed state, however many appends and checkpoints commit
   * meanwhile. VerifyAuditTrail needs this: a head read before and records or checkpoints read
   * after a concurrent commit would disagree and look like tampering.
   */
  <T> Uni<T> inSnapshot(java.util.function.Function<AuditStore, Uni<T>> reads);

  /** Reads the current head from the database. */
  Uni<ChainHead> readHead();

  /** Records with {@code fromSeq <= seq <= toSeq}, ascending, at most {@code limit}. */
  Uni<List<StoredRecord>> records(long fromSeq, long toSeq, int limit);

  /** The stored hash of record {@code seq}, empty if it is missing. */
  Uni<Optional<byte[]>> hashOf(long seq);

  /**
   * Checkpoints whose last seq is in {@code [fromSeq, toSeq]}, ascending, preceded by the last
   * checkpoint before {@code fromSeq} if there is one.
   */
  Uni<List<Checkpoint>> checkpoints(long fromSeq, long toSeq);

  /** Every audit signing public key (DER) by key id, including retired ones. */
  Uni<Map<String, byte[]>> signingKeys();

  /** Newest first. */
  Uni<List<FoundEvent>> lookup(Query query);
}
