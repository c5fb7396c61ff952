package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.RotationType;
import dev.keyhaven.kms.operation.port.DueKeys;
import dev.keyhaven.kms.operation.port.KeyMaterialWrapping;
import dev.keyhaven.kms.operation.port.KeyRepository;
import dev.keyhaven.kms.operation.port.ServiceEventLog;
import dev.keyhaven.kms.operation.port.ServiceEventLog.ServiceEvent;
import dev.keyhaven.kms.operation.port.ServiceMetrics;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The scheduled maintenance job: the work AWS KMS does without anyone calling an API. One code path
 * for both triggers — the in-process timer of the long-running server ({@code
 * function.scheduled.MaintenanceTimer}) and, later, the rotation Lambda function's EventBridge
 * schedule — through the one entry point {@link #run()}.
 *
 * <p>Steps, each in batches of at most {@link Limits#batchSize()} keys per transaction and at most
 * {@link Limits#maxBatches()} batches per run:
 *
 * <ol>
 *   <li><b>RotateKey</b>: every Enabled key whose next automatic rotation date has passed gets a
 *       new material version; its next date moves one period on. Disabled keys wait: AWS rotates a
 *       re-enabled key at once if its date passed meanwhile (GetKeyRotationStatus docs).
 *   <li><b>DeleteKey</b>: every PendingDeletion key whose window has ended is deleted with all its
 *       wrapped material versions, aliases and grants (crypto-shredding: nothing left opens its
 *       ciphertexts; DescribeKey answers NotFoundException).
 *   <li><b>DeleteExpiredKeyMaterial</b>: every key whose imported material's ValidTo has passed
 *       loses it — every wrapped version deleted, the key PendingImport (a PendingDeletion key
 *       stays PendingDeletion), the cached plaintext wiped after the commit — as DeleteImportedKey
 *       Material does (AWS KMS Developer Guide, "Setting an expiration time": "KMS deletes the key
 *       material … the KMS key state changes to Pending import"). Only the same material can be
 *       imported again.
 * </ol>
 *
 * <p>Guarantees: each batch is one transaction that claims its keys with {@code FOR UPDATE SKIP
 * LOCKED} ({@link DueKeys}), acts, records one service event per action ({@link ServiceEventLog},
 * same transaction) and commits — or changes nothing. So every step is idempotent (a done key is no
 * longer due), runs concurrent with each other split the work and never act on a key twice, and a
 * run stopped half-way leaves whole batches done and the rest due for the next run.
 */
@ApplicationScoped
public class KeyMaintenance {

  /**
   * What one run did; {@code remaining} counts the keys still due for rotation, deletion or expiry
   * after it (more than the run's bound, or held by a concurrent run).
   */
  public record Summary(int rotated, int deleted, int expired, long remaining) {}

  /** A run's bounds: keys per transaction, transactions per step. */
  public record Limits(int batchSize, int maxBatches) {
    public Limits {
      if (batchSize < 1 || maxBatches < 1) {
        throw new IllegalArgumentException("batch size and batches per run must be positive");
      }
    }
  }

  private final DueKeys due;
  private final KeyRepository keys;
  private final KeyMaterials materials;
  private final KeyMaterialWrapping crypto;
  private final ServiceEventLog events;
  private final Transactions transactions;
  private final Clock clock;
  private final Limits limits;
  private final ServiceMetrics metrics;

  KeyMaintenance(
      DueKeys due,
      KeyRepository keys,
      KeyMaterials materials,
      KeyMaterialWrapping crypto,
      ServiceEventLog events,
      Transactions transactions,
      Clock clock,
      Limits limits,
      ServiceMetrics metrics) {
    this.due = due;
    this.keys = keys;
    this.materials = materials;
    this.crypto = crypto;
    this.events = events;
    this.transactions = transactions;
    this.clock = clock;
    this.limits = limits;
    this.metrics = metrics;
  }

  /** One run with the configured limits ({@code kms.maintenance.*}). */
  public Uni<Summary> run() {
    return run(limits);
  }

  /** One run with explicit limits; everything is judged against one instant, read at the start. */
  public Uni<Summary> run(Limits runLimits) {
    return runOnce(runLimits)
        .invoke(s -> metrics.maintenanceRun(s.rotated(), s.deleted(), s.expired(), true))
        .onFailure()
        .invoke(failure -> metrics.maintenanceRun(0, 0, 0, false));
  }

  private Uni<Summary> runOnce(Limits runLimits) {
    Instant now = clock.instant();
    return steps(runLimits, batch -> rotateBatch(now, batch))
        .chain(
            rotated ->
                steps(runLimits, batch -> deleteBatch(now, batch))
                    .chain(
                        deleted ->
                            steps(runLimits, batch -> expireBatch(now, batch))
                                .chain(
                                    expired ->
                                        transactions
                                            .inSession(() -> due.countDue(now))
                                            .map(
                                                remaining ->
                                                    new Summary(
                                                        rotated, deleted, expired, remaining)))));
  }

  /** Runs {@code batch} until one comes back short or the run's batches are used up. */
  private static Uni<Integer> steps(Limits runLimits, Function<Integer, Uni<Integer>> batch) {
    return steps(runLimits, batch, runLimits.maxBatches(), 0);
  }

  private static Uni<Integer> steps(
      Limits runLimits, Function<Integer, Uni<Integer>> batch, int batchesLeft, int done) {
    return batch
        .apply(runLimits.batchSize())
        .chain(
            n ->
                n < runLimits.batchSize() || batchesLeft == 1
                    ? Uni.createFrom().item(done + n)
                    : steps(runLimits, batch, batchesLeft - 1, done + n));
  }

  private Uni<Integer> rotateBatch(Instant now, int size) {
    return transactions.inTransaction(
        () ->
            due.lockDueForRotation(now, size)
                .chain(
                    locked ->
                        eachInTurn(
                            locked,
                            key ->
                                materials
                                    .rotate(key, RotationType.AUTOMATIC, now)
                                    .chain(rotated -> record("RotateKey", rotated, now)))));
  }

  private Uni<Integer> deleteBatch(Instant now, int size) {
    return transactions
        .inTransaction(
            () ->
                due.lockDueForDeletion(now, size)
                    .chain(
                        locked ->
                            eachInTurn(
                                    locked,
                                    key ->
                                        record("DeleteKey", key, now)
                                            .chain(() -> keys.destroy(key.keyId())))
                                .replaceWith(locked)))
        // Committed: drop the plaintext copies this instance may still cache.
        .invoke(deleted -> deleted.forEach(key -> crypto.forget(key.keyId())))
        .map(List::size);
  }

  private Uni<Integer> expireBatch(Instant now, int size) {
    return transactions
        .inTransaction(
            () ->
                due.lockDueForExpiry(now, size)
                    .chain(
                        locked ->
                            eachInTurn(
                                    locked,
                                    key ->
                                        keys.deleteImportedMaterial(
                                                key.deleteImportedMaterial(), null)
                                            .chain(
                                                expired ->
                                                    record(
                                                        "DeleteExpiredKeyMaterial", expired, now)))
                                .replaceWith(locked)))
        .invoke(expired -> expired.forEach(key -> crypto.forget(key.keyId())))
        .map(List::size);
  }

  /** Runs {@code action} for each key one after the other (one session, one transaction). */
  private static Uni<Integer> eachInTurn(List<KmsKey> locked, Function<KmsKey, Uni<Void>> action) {
    return Multi.createFrom()
        .iterable(locked)
        .onItem()
        .transformToUniAndConcatenate(key -> action.apply(key).replaceWith(key))
        .collect()
        .asList()
        .map(List::size);
  }

  private Uni<Void> record(String eventName, KmsKey key, Instant now) {
    return events.record(
        new ServiceEvent(
            eventName, key.accountId(), key.arn().region(), key.arn().toString(), now));
  }
}
