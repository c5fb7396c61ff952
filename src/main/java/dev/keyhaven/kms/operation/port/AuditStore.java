package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.Checkpoint;
import dev.keyhaven.kms.domain.audit.Manifest;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The audit trail's read side: records for verification and lookup, checkpoints, the head. */
public interface AuditStore {

  /** One stored record of a chain: its seq, stored hash and canonical JSON bytes. */
  record StoredRecord(long seq, byte[] hash, byte[] canonical) {}

  /**
   * What LookupEvents asks for; null members do not filter.
   *
   * @param accountId events where this account is the caller or the key owner
   * @param before only events before this position (pagination), null for the newest
   */
  record Query(
      String accountId,
      String keyArn,
      String principalArn,
      String eventName,
      Instant startTime,
      Instant endTime,
      boolean errorsOnly,
      Position before,
      int limit) {}

  /**
   * Where a record stands in LookupEvents' order: by event time, then chain, then seq — a total
   * order across chains, stable while records are added.
   */
  record Position(Instant eventTime, long chainId, long seq) {}

  /** A record found by {@link #lookup}: its position (the page marker), summary and JSON. */
  record FoundEvent(
      Position position, String eventId, String eventName, String principalArn, String json) {
    public Instant eventTime() {
      return position.eventTime();
    }
  }

  /**
   * Runs {@code reads} against one consistent snapshot of the trail: everything read through the
   * store it is given sees the same committed state, however many appends and checkpoints commit
   * meanwhile. VerifyAuditTrail needs this: a head read before and records or checkpoints read
   * after a concurrent commit would disagree and look like tampering.
   */
  <T> Uni<T> inSnapshot(java.util.function.Function<AuditStore, Uni<T>> reads);

  /** Every chain's stored head, ascending chain id. */
  Uni<List<ChainHead>> heads();

  /**
   * Records of chain {@code chainId} with {@code fromSeq <= seq <= toSeq}, ascending, at most
   * {@code limit}.
   */
  Uni<List<StoredRecord>> records(long chainId, long fromSeq, long toSeq, int limit);

  /** The stored hash of record {@code seq} of chain {@code chainId}, empty if it is missing. */
  Uni<Optional<byte[]>> hashOf(long chainId, long seq);

  /**
   * Chain {@code chainId}'s checkpoints whose last seq is in {@code [fromSeq, toSeq]}, ascending,
   * preceded by the last checkpoint before {@code fromSeq} if there is one.
   */
  Uni<List<Checkpoint>> checkpoints(long chainId, long fromSeq, long toSeq);

  /** Manifests from {@code fromSeq} on, ascending, at most {@code limit}. */
  Uni<List<Manifest>> manifests(long fromSeq, int limit);

  /** Every audit signing public key (DER) by key id, including retired ones. */
  Uni<Map<String, byte[]>> signingKeys();

  /** Newest first. */
  Uni<List<FoundEvent>> lookup(Query query);
}
