package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.domain.audit.ChainHash;
import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.Manifest;
import dev.keyhaven.kms.operation.port.AuditEcho;
import dev.keyhaven.kms.operation.port.AuditLog;
import dev.keyhaven.kms.operation.port.AuditSigner;
import dev.keyhaven.kms.operation.port.CachedReads;
import dev.keyhaven.kms.operation.port.ServiceMetrics;
import dev.keyhaven.kms.operation.port.StaleStateException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
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
 * shared by everyone who waited for it. Once a batch committed, its durable records go to the
 * {@link AuditEcho} in one call, in chain order, before any of its callers' Unis completes and
 * before the next batch is taken (so the echo's order is the chain's).
 *
 * <p>{@link #appendInTransaction} writes through the Hibernate session of the caller's transaction
 * instead. This writer appends only to the chain it leases ({@link #start}); every append locks
 * that chain's row and checks the lease, so writers on different chains never wait for each other,
 * and a writer whose chain was taken over (its lease ran out, e.g. a frozen Lambda environment)
 * leases another before it appends. Every append renews the lease. A checkpoint is signed in the
 * transaction that makes it due, or by a timer once {@code kms.audit.checkpoint-interval} has
 * passed with records not yet covered; a manifest over every chain's head is signed every {@code
 * kms.audit.manifest-interval} by whichever writer finds it due first (docs/audit.md, "Chains").
 */
@ApplicationScoped
public class PgAuditLog implements AuditLog, ServiceMetrics.Readings {
  private static final Logger LOG = Logger.getLogger(PgAuditLog.class);

  /** The advisory lock key that lets one writer at a time sign a manifest ("KHMF"). */
  private static final long MANIFEST_LOCK = 0x4b484d46L;

  private record Pending(
      AuditRecord entry, CachedReads reads, UniEmitter<? super Void> emitter, Context context) {}

  private final Pool pool;
  private final HotState hot;
  private final Mutiny.SessionFactory sessions;
  private final AuditSigner signer;
  private final ChainHash hash;
  private final Clock clock;
  private final Vertx vertx;
  private final ChainAppend.Policy policy;
  private final int maxBatch;
  private final Duration manifestInterval;
  private final ServiceMetrics metrics;
  private final AuditEcho echo;

  /** {@link System#nanoTime()} of the last append that committed and of the last that failed. */
  private volatile long lastCommitted = System.nanoTime();

  private volatile long lastFailed = System.nanoTime() - Duration.ofDays(1).toNanos();
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();

  /** This writer's lease owner id: random per process, and drawn anew after a snapshot restore. */
  private volatile String owner;

  /** The chain this writer appends to; 0 before {@link #start}. */
  private volatile long chainId;

  /** Whether this writer checks for a due manifest itself (no timer does). */
  private volatile boolean manifestsOnAppend;

  private volatile Instant nextManifestCheck = Instant.MIN;

  @Inject
  PgAuditLog(
      Pool pool,
      HotState hot,
      Mutiny.SessionFactory sessions,
      AuditSigner signer,
      ChainHash hash,
      Clock clock,
      Vertx vertx,
      ServiceMetrics metrics,
      KmsConfig config,
      AuditEcho echo) {
    this.pool = pool;
    this.metrics = metrics;
    this.echo = echo;
    this.hot = hot;
    this.sessions = sessions;
    this.signer = signer;
    this.hash = hash;
    this.clock = clock;
    this.vertx = vertx;
    this.policy =
        new ChainAppend.Policy(
            config.audit().checkpointRecords(),
            config.audit().checkpointInterval(),
            config.audit().chainLease());
    this.maxBatch = config.audit().maxBatch();
    this.manifestInterval = config.audit().manifestInterval();
    this.owner = UUID.randomUUID().toString();
  }

  /**
   * A writer on {@code holder}'s chain under {@code holder}'s lease, through {@code pool}: what the
   * single head row of schema v4–v8 made of every writer. Only the fleet benchmark's baseline uses
   * it (AuditFleetBench); {@code holder} must have {@link #start started}.
   */
  PgAuditLog(PgAuditLog holder, Pool pool) {
    this.pool = pool;
    this.hot = holder.hot;
    this.sessions = holder.sessions;
    this.signer = holder.signer;
    this.hash = holder.hash;
    this.clock = holder.clock;
    this.vertx = holder.vertx;
    this.policy = holder.policy;
    this.maxBatch = holder.maxBatch;
    this.manifestInterval = holder.manifestInterval;
    this.metrics = holder.metrics;
    this.echo = holder.echo;
    this.owner = holder.owner;
    this.chainId = holder.chainId;
  }

  @Override
  public Uni<Void> append(AuditRecord entry, CachedReads reads) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              queue.add(new Pending(entry, reads, emitter, Vertx.currentContext()));
              writeNextBatch();
            });
  }

  @Override
  public Uni<Void> appendInTransaction(AuditRecord entry) {
    return sessions
        .withSession(
            session -> {
              SessionChainSql sql = new SessionChainSql(session);
              long chain = chainId;
              return sql.lockHead(chain, owner)
                  .chain(
                      head -> head != null ? Uni.createFrom().item(head) : leaseAndLock(chain, sql))
                  .chain(head -> sql.write(plan(head, List.of(entry))));
            })
        .invoke(this::committed)
        .onFailure()
        .invoke(this::failed);
  }

  /**
   * Why the audit trail cannot be written now, or null (readiness; docs/self-hosting.md): an append
   * failed within {@code window} and none committed since. The caller probes the database itself.
   */
  @Override
  public String unwritableSince(Duration window) {
    long failed = lastFailed;
    if (failed - lastCommitted > 0 && System.nanoTime() - failed < window.toNanos()) {
      return "the last audit append failed and none has committed since";
    }
    return null;
  }

  /**
   * Checks that this writer can reach its chain: one statement on the pool that renews this
   * writer's lease on it (what every append does) — PostgreSQL reachable and accepting writes.
   */
  @Override
  public Uni<Void> probe() {
    long chain = chainId;
    if (chain == 0) {
      return Uni.createFrom().failure(new IllegalStateException("no audit chain leased yet"));
    }
    // Only a live lease is renewed: one given up at shutdown or run out stays so.
    Instant now = clock.instant();
    return pool.preparedQuery(
            "UPDATE audit_chain SET lease_until = GREATEST(lease_until, $3)"
                + " WHERE chain_id = $1 AND lease_owner = $2 AND lease_until > $4")
        .execute(
            Tuple.of(chain, owner, ChainSql.time(now.plus(policy.lease())), ChainSql.time(now)))
        .replaceWithVoid();
  }

  @Override
  public List<Reading> readings() {
    return List.of(
        Reading.gauge(
            "kms.audit.queue.depth",
            "Audit events waiting for the next group commit",
            queue::size));
  }

  private void committed() {
    lastCommitted = System.nanoTime();
  }

  private void failed(Throwable failure) {
    lastFailed = System.nanoTime();
  }

  /** The chain this writer appends to now. */
  long chainId() {
    return chainId;
  }

  /**
   * The checkpoint/restore hook of this writer (Lambda SnapStart, CRaC; {@code
   * function.SnapStartHooks} registers it). Before the snapshot it gives up the chain lease; after
   * a restore it draws a new owner id and forgets its chain, so the first append of each restored
   * copy leases a chain of its own ({@link #leaseAndLock}) — without it, every copy of one snapshot
   * would append to one chain under one owner id, and the fleet would serialize on that chain's
   * head again.
   */
  public org.crac.Resource snapshotHook() {
    return new org.crac.Resource() {
      @Override
      public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) {
        release(Duration.ofSeconds(10));
      }

      @Override
      public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {
        owner = UUID.randomUUID().toString();
        chainId = 0;
      }
    };
  }

  /**
   * Loads (or, for a new database, creates) the audit signing key and, when {@code timer}, starts
   * the checkpoint timer. Called once the schema exists. Without the timer (Lambda functions, whose
   * process is frozen between invocations) checkpoints are still made when due, in the transaction
   * of the next append; only an idle trail's last records wait for the next request.
   */
  void start(Duration timeout, boolean timer) {
    if (chainId == 0) {
      chainId = acquire().await().atMost(timeout);
      LOG.infof("appending to audit chain %d", chainId);
    }
    startSigning(timeout, timer);
  }

  private void startSigning(Duration timeout, boolean timer) {
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
      startSigning(timeout, timer);
      return;
    }
    Row row = rows.iterator().next();
    signer.use(
        new AuditSigner.StoredKey(
            row.getString(0), row.getBuffer(1).getBytes(), row.getBuffer(2).getBytes()));
    if (timer) {
      long period = Math.max(1000, policy.every().toMillis() / 2);
      vertx.setPeriodic(period, id -> checkpointIfDue());
    } else {
      manifestsOnAppend = true;
    }
  }

  /**
   * Gives up this writer's lease (at shutdown) so the next writer to start takes the chain over at
   * once instead of after the lease runs out. Appends after this still succeed while no other
   * writer has taken the chain.
   */
  void release(Duration timeout) {
    if (chainId == 0) {
      return;
    }
    pool.preparedQuery(
            "UPDATE audit_chain SET lease_until = '-infinity' WHERE chain_id = $1 AND lease_owner = $2")
        .execute(Tuple.of(chainId, owner))
        .await()
        .atMost(timeout);
  }

  /**
   * Signs a checkpoint of this writer's chain when the interval has passed with uncovered records,
   * and a manifest when one is due.
   */
  void checkpointIfDue() {
    groupCommit(List.of())
        .call(() -> manifest(false))
        .subscribe()
        .with(
            ok -> {}, failure -> LOG.warnf("audit checkpoint not written: %s", failure.toString()));
  }

  private ChainAppend.Plan plan(ChainHead head, List<AuditRecord> entries) {
    return ChainAppend.plan(head, entries, hash, signer, policy, clock.instant());
  }

  /**
   * Leases a chain after the lease on {@code lost} was found gone (unless another append did so
   * already) and locks its head through {@code sql}.
   */
  private Uni<ChainHead> leaseAndLock(long lost, ChainSql sql) {
    Uni<Long> leased =
        chainId != lost
            ? Uni.createFrom().item(chainId)
            : acquire()
                .invoke(
                    id -> {
                      chainId = id;
                      if (lost == 0) {
                        LOG.infof("appending to audit chain %d (after a snapshot restore)", id);
                      } else {
                        LOG.infof(
                            "the lease on audit chain %d was taken over; appending to chain %d",
                            lost, id);
                      }
                    });
    return leased
        .chain(id -> sql.lockHead(id, owner))
        .onItem()
        .ifNull()
        .failWith(
            () -> new IllegalStateException("the audit chain lease was lost as soon as taken"));
  }

  /**
   * Leases a chain for this writer: the lowest-numbered chain whose lease has run out (its writer
   * stopped or froze; the chain continues where it ended), else a new chain.
   */
  private Uni<Long> acquire() {
    Instant now = clock.instant();
    OffsetDateTime until = ChainSql.time(now.plus(policy.lease()));
    return pool.preparedQuery(
            "UPDATE audit_chain SET lease_owner = $1, lease_until = $2 WHERE chain_id ="
                + " (SELECT chain_id FROM audit_chain WHERE lease_until < $3 ORDER BY chain_id"
                + " LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING chain_id")
        .execute(Tuple.of(owner, until, ChainSql.time(now)))
        .chain(
            rows -> {
              if (rows.size() > 0) {
                return Uni.createFrom().item(rows.iterator().next().getLong(0));
              }
              return pool.query("SELECT nextval('audit_chain_id')")
                  .execute()
                  .map(ids -> ids.iterator().next().getLong(0))
                  .call(
                      id ->
                          pool.preparedQuery(
                                  "INSERT INTO audit_chain (chain_id, last_seq, last_hash,"
                                      + " checkpoint_seq, checkpoint_signature, checkpoint_time,"
                                      + " created_at, lease_owner, lease_until)"
                                      + " VALUES ($1, 0, $2, 0, NULL, $3, $3, $4, $5)")
                              .execute(
                                  Tuple.of(
                                      id,
                                      Buffer.buffer(hash.genesis(id)),
                                      ChainSql.time(now),
                                      owner,
                                      until)));
            });
  }

  /**
   * Signs a manifest over every chain's head when the last is older than {@code
   * kms.audit.manifest-interval} (or always, if {@code force}). One writer at a time (a
   * transaction-scoped advisory lock; the others skip).
   */
  Uni<Void> manifest(boolean force) {
    return pool.withTransaction(
        conn ->
            conn.query("SELECT pg_try_advisory_xact_lock(" + MANIFEST_LOCK + ")")
                .execute()
                .chain(
                    locked ->
                        !locked.iterator().next().getBoolean(0)
                            ? Uni.createFrom().voidItem()
                            : conn.query(
                                    "SELECT manifest_seq, signature, created_at FROM audit_manifest"
                                        + " ORDER BY manifest_seq DESC LIMIT 1")
                                .execute()
                                .chain(last -> manifestAfter(conn, last, force))));
  }

  private Uni<Void> manifestAfter(SqlConnection conn, RowSet<Row> last, boolean force) {
    Instant now = clock.instant();
    Row previous = last.size() == 0 ? null : last.iterator().next();
    if (!force
        && previous != null
        && now.isBefore(previous.getOffsetDateTime(2).toInstant().plus(manifestInterval))) {
      return Uni.createFrom().voidItem();
    }
    return conn.query(
            "SELECT chain_id, last_seq, last_hash FROM audit_chain WHERE last_seq > 0 ORDER BY chain_id")
        .execute()
        .chain(
            rows -> {
              List<Manifest.Head> heads = new ArrayList<>();
              rows.forEach(
                  r ->
                      heads.add(
                          new Manifest.Head(
                              r.getLong(0), r.getLong(1), r.getBuffer(2).getBytes())));
              if (heads.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              Manifest m =
                  signer.sign(
                      new Manifest(
                          previous == null ? 1 : previous.getLong(0) + 1,
                          now,
                          heads,
                          previous == null ? null : previous.getBuffer(1).getBytes(),
                          null,
                          null));
              Tuple row = Tuple.tuple();
              row.addValue(m.seq());
              row.addValue(ChainSql.time(m.createdAt()));
              row.addValue(Manifest.encodeHeads(m.heads()));
              row.addValue(
                  m.previousSignature() == null ? null : Buffer.buffer(m.previousSignature()));
              row.addValue(m.signingKeyId());
              row.addValue(Buffer.buffer(m.signature()));
              return conn.preparedQuery(
                      "INSERT INTO audit_manifest (manifest_seq, created_at, heads,"
                          + " previous_signature, signing_key_id, signature)"
                          + " VALUES ($1, $2, $3, $4, $5, $6)")
                  .execute(row)
                  .replaceWithVoid();
            });
  }

  /**
   * Where no timer runs (Lambda functions): at most every half manifest interval, a writer that
   * just committed checks whether a manifest is due. Its failure fails no append.
   */
  private Uni<Void> manifestIfDueOnAppend() {
    Instant now = clock.instant();
    if (!manifestsOnAppend || now.isBefore(nextManifestCheck)) {
      return Uni.createFrom().voidItem();
    }
    nextManifestCheck = now.plus(manifestInterval.dividedBy(2));
    return manifest(false)
        .onFailure()
        .invoke(failure -> LOG.warnf("audit manifest not written: %s", failure.toString()))
        .onFailure()
        .recoverWithNull();
  }

  /**
   * Appends the events of {@code batch} (none: only a checkpoint if due) to this writer's chain in
   * one transaction on a pooled connection, in two round trips: BEGIN with the version check of the
   * cached state the batch's answers relied on ({@link CachedReads}) and the head lock, then the
   * rows, checkpoint, head update and COMMIT (docs/audit.md). An event whose versions moved is left
   * out; the item is those requests (stale). Completes after the COMMIT is answered; on any failure
   * the transaction is rolled back before the connection goes back to the pool.
   */
  private Uni<List<Pending>> groupCommit(List<Pending> batch) {
    Set<CachedReads.Dependency> relied = new LinkedHashSet<>();
    batch.forEach(p -> relied.addAll(p.reads().dependencies()));
    return pool.withConnection(
        conn -> {
          PoolChainSql sql = new PoolChainSql(conn);
          long chain = chainId;
          return sql.begin(chain, owner, relied)
              .chain(
                  begun -> {
                    List<Pending> stale =
                        begun.moved().isEmpty()
                            ? List.of()
                            : batch.stream()
                                .filter(
                                    p ->
                                        p.reads().dependencies().stream()
                                            .anyMatch(begun.moved()::contains))
                                .toList();
                    List<AuditRecord> entries =
                        batch.stream().filter(p -> !stale.contains(p)).map(Pending::entry).toList();
                    Uni<ChainHead> head =
                        begun.head() != null
                            ? Uni.createFrom().item(begun.head())
                            : leaseAndLock(chain, sql);
                    return head.chain(h -> sql.writeAndCommit(plan(h, entries)))
                        .invoke(
                            () -> {
                              if (!begun.moved().isEmpty()) {
                                hot.moved(
                                    begun.moved().stream()
                                        .map(CachedReads.Dependency::scope)
                                        .toList(),
                                    stale.size());
                              }
                            })
                        .replaceWith(stale);
                  })
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
    long started = System.nanoTime();
    groupCommit(batch)
        .call(this::manifestIfDueOnAppend)
        .subscribe()
        .with(
            stale -> {
              committed();
              metrics.auditCommit(batch.size() - stale.size(), System.nanoTime() - started, true);
              echo(batch, stale);
              writing.set(false);
              for (Pending p : batch) {
                resume(
                    p,
                    stale.contains(p)
                        ? new StaleStateException(
                            "request " + p.entry().event().requestId() + ": cached state moved")
                        : null);
              }
              writeNextBatch();
            },
            failure -> {
              failed(failure);
              metrics.auditCommit(batch.size(), System.nanoTime() - started, false);
              writing.set(false);
              batch.forEach(p -> resume(p, failure));
              writeNextBatch();
            });
  }

  /** Echoes the batch's durable records (all but {@code stale}), in chain order. */
  private void echo(List<Pending> batch, List<Pending> stale) {
    List<AuditRecord> durable = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      if (stale.isEmpty() || !stale.contains(p)) {
        durable.add(p.entry());
      }
    }
    if (durable.isEmpty()) {
      return;
    }
    try {
      echo.durable(durable);
    } catch (RuntimeException e) {
      LOG.errorf("%d durable audit records not echoed to the log sink: %s", durable.size(), e);
    }
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
