package dev.keyhaven.kms.adapter.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Resource;
import org.jboss.logging.Logger;

/**
 * The database pool around a snapshot (Lambda SnapStart, CRaC): no database connection crosses one.
 *
 * <p>A connection made during init and kept in the snapshot is a TCP session the database (or RDS
 * Proxy) has long forgotten when a copy is restored, hours or days later; its first use would fail
 * the first request of every restored copy. The Vert.x pool has no API to drop its idle connections
 * (vertx-sql-client#1313, a suspend/resume for CRaC, was never merged), so:
 *
 * <ul>
 *   <li>{@link #beforeCheckpoint}: every pooled connection is borrowed and ended by the server
 *       ({@code pg_terminate_backend(pg_backend_pid())}); the client sees the session close and the
 *       pool forgets the connection. Called while no request is in flight (Lambda takes the
 *       snapshot after init, before the first invocation). Contract: afterwards {@link Pool#size()}
 *       is 0, or the hook has waited {@code timeout} and logged how many remain.
 *   <li>{@link #afterRestore}: any connection still pooled (one the drain could not end, e.g. a
 *       proxy that kept the client session open) is checked with {@code SELECT 1} under {@code
 *       timeout}; a dead one fails and the pool drops it. New connections are opened on demand,
 *       with credentials read at that moment ({@code adapter.aws.DatabaseSecretCredentials}).
 * </ul>
 */
@Singleton
public final class SnapshotConnections implements Resource {
  private static final Logger LOG = Logger.getLogger(SnapshotConnections.class);

  private final Pool pool;
  private final Duration timeout;

  @Inject
  SnapshotConnections(Pool pool) {
    this(pool, Duration.ofSeconds(5));
  }

  public SnapshotConnections(Pool pool, Duration timeout) {
    this.pool = pool;
    this.timeout = timeout;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    int ended = drain();
    LOG.infof("before the snapshot: %d database connection(s) ended, %d left", ended, pool.size());
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    int checked = validate();
    if (checked > 0) {
      LOG.infof("after the restore: %d pooled database connection(s) checked", checked);
    }
  }

  /**
   * Ends pooled connections until none is left or {@code timeout} has passed; answers how many it
   * ended. A borrow may open a fresh connection when every pooled one is already closing: that one
   * is ended too, so the loop still converges.
   */
  int drain() {
    long deadline = System.nanoTime() + timeout.toNanos();
    int ended = 0;
    while (pool.size() > 0 && System.nanoTime() < deadline) {
      int before = pool.size();
      SqlConnection connection = pool.getConnection().await().atMost(timeout);
      try {
        connection
            .query("SELECT pg_terminate_backend(pg_backend_pid())")
            .execute()
            .await()
            .atMost(timeout);
      } catch (RuntimeException expected) {
        ended++; // FATAL 57P01 and the session closes: the pool drops the connection
      } finally {
        connection.close().await().atMost(timeout);
      }
      awaitRemoval(before, deadline);
    }
    return ended;
  }

  /** Lets the event loop process the close: waits until fewer than {@code before} are pooled. */
  private void awaitRemoval(int before, long deadline) {
    while (pool.size() >= before && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Borrows every pooled connection at once (so each is a different one) and runs {@code SELECT 1}
   * on it; answers how many were borrowed. Failures are the point: a dead connection fails and is
   * dropped by the pool — asynchronously, when its channel's close reaches the event loop, so this
   * waits (at most {@code timeout}) until the pool holds no more than the ones that answered.
   */
  int validate() {
    int pooled = pool.size();
    List<Uni<Boolean>> checks = new ArrayList<>(pooled);
    for (int i = 0; i < pooled; i++) {
      checks.add(
          pool.getConnection()
              .onItem()
              .transformToUni(
                  c ->
                      c.query("SELECT 1")
                          .execute()
                          .ifNoItem()
                          .after(timeout)
                          .fail()
                          .replaceWith(true)
                          .onFailure()
                          .recoverWithItem(false)
                          .call(c::close))
              .onFailure()
              .recoverWithItem(false));
    }
    if (checks.isEmpty()) {
      return 0;
    }
    List<Boolean> answered =
        Uni.join().all(checks).andFailFast().await().atMost(timeout.multipliedBy(2));
    int alive = (int) answered.stream().filter(ok -> ok).count();
    awaitRemoval(alive + 1, System.nanoTime() + timeout.toNanos());
    return pooled;
  }
}
