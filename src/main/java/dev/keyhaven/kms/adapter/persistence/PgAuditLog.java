package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.domain.audit.ChainHash;
import dev.keyhaven.kms.operation.port.AuditLog;
import dev.keyhaven.kms.operation.port.AuditSigner;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * {@link AuditLog} on PostgreSQL (docs/audit.md).
 *
 * <p>Group commit: {@link #append} queues the event; one writer at a time takes up to {@code
 * kms.audit.max-batch} queued events, locks the chain head, inserts them linked, and commits; each
 * caller's Uni completes (on the caller's own Vert.x context) only after that commit, or fails if
 * it failed. Events arriving while a batch commits form the next batch, so the cost of a commit is
 * shared by everyone who waited for it.
 *
 * <p>{@link #appendInTransaction} writes through the Hibernate session of the caller's transaction
 * instead. Every append locks the single head row, so the appends of all instances sharing the
 * database form one sequence. A checkpoint is signed in the transaction that makes it due, or by
 * a timer once {@code kms.audit.checkpoint-interval} has passed with records not yet covered.
 */
@ApplicationScoped
public class PgAuditLog implements AuditLog {
  private static final Logger LOG = Logger.getLogger(PgAuditLog.class);

  private record Pending(AuditRecord entry, UniEmitter<? super Void> emitter, Context context) {}

  private final Pool pool;
  private final Mutiny.SessionFactory sessions;
  private final AuditSigner signer;
  private final ChainHash hash;
  private final Clock clock;
  private final Vertx vertx;
  private final ChainAppend.Policy policy;
  private final int maxBatch;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();

  PgAuditLog(
      Pool pool,
      Mutiny.SessionFactory sessions,
      AuditSigner signer,
      ChainHash hash,
      Clock clock,
      Vertx vertx,
      KmsConfig config) {
    this.pool = pool;
    this.sessions = sessions;
    this.signer = signer;
    this.hash = hash;
    this.clock = clock;
    this.vertx = vertx;
    this.policy =
        new ChainAppend.Policy(
            config.audit().checkpointRecords(), config.audit().checkpointInterval());
    this.maxBatch = config.audit().maxBatch();
  }

  @Override
  public Uni<Void> append(AuditRecord entry) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              queue.add(new Pending(entry, emitter, Vertx.currentContext()));
              writeNextBatch();
            });
  }

  @Override
  public Uni<Void> appendInTransaction(AuditRecord entry) {
    return sessions.withSession(session -> append(new SessionChainSql(session), List.of(entry)));
  }

  /**
   * Loads (or, for a new database, creates) the audit signing key and, when {@code timer}, starts
   * the checkpoint timer. Called once the schema exists. Without the timer (Lambda functions, whose
   * process is frozen between invocations) checkpoints are still made when due, in the transaction
   * of the next append; only an idle trail's last records wait for the next request.
   */
  void start(Duration timeout, boolean timer) {
    var rows =
        pool.query(
                "SELECT key_id, public_key, wrapped_private FROM audit_signing_key"
                    + " ORDER BY created_at DESC, key_id LIMIT 1")
            .execute()
            .await()
            .atMost(timeout);
    if (rows.size() == 0) {
      AuditSigner.StoredKey key = signer.generate();
      pool.preparedQuery(
              "INSERT INTO audit_signing_key (key_id, public_key, wrapped_private, created_at)"
                  + " VALUES ($1, $2, $3, $4) ON CONFLICT (key_id) DO NOTHING")
          .execute(
              Tuple.of(
                  key.keyId(),
                  Buffer.buffer(key.publicKeyDer()),
                  Buffer.buffer(key.wrappedPrivateKey()),
                  OffsetDateTime.now(clock)))
          .await()
          .atMost(timeout);
      LOG.infof("created the audit signing key %s", key.keyId());
      start(timeout, timer);
      return;
    }
    Row row = rows.iterator().next();
    signer.use(
        new AuditSigner.StoredKey(
            row.getString(0), row.getBuffer(1).getBytes(), row.getBuffer(2).getBytes()));
    if (timer) {
      long period = Math.max(1000, policy.every().toMillis() / 2);
      vertx.setPeriodic(period, id -> checkpointIfDue());
    }
  }

  /** Signs a checkpoint when the interval has passed with uncovered records. */
  void checkpointIfDue() {
    groupCommit(List.of())
        .subscribe()
        .with(ok -> {}, failure -> LOG.warnf("audit checkpoint not written: %s", failure.toString()));
  }

  private Uni<Void> append(ChainSql sql, List<AuditRecord> entries) {
    return sql.lockHead()
        .chain(head -> sql.write(ChainAppend.plan(head, entries, hash, signer, policy, clock.instant())));
  }

  /**
   * Appends {@code entries} (none: only a checkpoint if due) in one transaction on a pooled
   * connection, in two round trips: BEGIN with the head lock, then the rows, checkpoint, head
   * update and COMMIT (docs/audit.md). Completes after the COMMIT is answered; on any failure
   * the transaction is rolled back before the connection goes back to the pool.
   */
  private Uni<Void> groupCommit(List<AuditRecord> entries) {
    return pool.withConnection(
        conn -> {
          PoolChainSql sql = new PoolChainSql(conn);
          return sql.begin()
              .chain(
                  head ->
                      sql.writeAndCommit(
                          ChainAppend.plan(head, entries, hash, signer, policy, clock.instant())))
              .onFailure()
              .call(sql::rollback);
        });
  }

  private void writeNextBatch() {
    if (!writing.compareAndSet(false, true)) {
      return;
    }
    List<Pending> batch = new ArrayList<>();
    for (Pending p = queue.poll(); p != null; p = batch.size() < maxBatch ? queue.poll() : null) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      writing.set(false);
      if (!queue.isEmpty()) {
        writeNextBatch();
      }
      return;
    }
    List<AuditRecord> entries = batch.stream().map(Pending::entry).toList();
    groupCommit(entries)
        .subscribe()
        .with(
            ok -> {
              writing.set(false);
              batch.forEach(p -> resume(p, null));
              writeNextBatch();
            },
            failure -> {
              writing.set(false);
              batch.forEach(p -> resume(p, failure));
              writeNextBatch();
            });
  }

  private static void resume(Pending p, Throwable failure) {
    Runnable done =
        failure == null ? () -> p.emitter().complete(null) : () -> p.emitter().fail(failure);
    if (p.context() == null) {
      done.run();
    } else {
      p.context().runOnContext(v -> done.run());
    }
  }
}
