package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.key.KmsKey;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/**
 * The keys the maintenance job has work for, claimed for one transaction.
 *
 * <p>Contract: the {@code lock…} methods read through an index on the due date (the cost grows with
 * the number of due keys, not of keys), oldest due first, and lock the rows they return until the
 * caller's transaction ends, skipping rows another transaction holds ({@code FOR UPDATE SKIP
 * LOCKED}). So concurrent runs split the due keys between them and never act on one key twice; a
 * row whose due date another run moved on while it was locked is not returned.
 */
public interface DueKeys {

  /** Enabled keys with automatic rotation whose next rotation date is at or before {@code now}. */
  Uni<List<KmsKey>> lockDueForRotation(Instant now, int limit);

  /** PendingDeletion keys whose deletion date is at or before {@code now}. */
  Uni<List<KmsKey>> lockDueForDeletion(Instant now, int limit);

  /** Keys whose imported key material's ValidTo is at or before {@code now}. */
  Uni<List<KmsKey>> lockDueForExpiry(Instant now, int limit);

  /** How many keys are due for rotation, deletion or expiry at {@code now} (locked or not). */
  Uni<Long> countDue(Instant now);
}
