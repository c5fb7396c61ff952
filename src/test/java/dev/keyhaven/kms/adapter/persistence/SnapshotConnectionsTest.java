package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SnapshotConnections} against the real PostgreSQL, on a pool of its own whose sessions
 * carry a unique {@code application_name}, so the server's {@code pg_stat_activity} shows exactly
 * that pool's connections.
 */
@QuarkusTest
class SnapshotConnectionsTest {
  private static final int SIZE = 4;

  @Inject Pool server;
  @Inject Vertx vertx;
  @Inject AuditWriters writers;

  private String name;
  private Pool pool;
  private SnapshotConnections hook;

  @BeforeEach
  void openPool() {
    name = "snapshot-test-" + UUID.randomUUID().toString().substring(0, 8);
    PgConnectOptions options = writers.connectOptions();
    options.setProperties(Map.of("application_name", name));
    pool =
        Pool.pool(
            io.vertx.mutiny.core.Vertx.newInstance(vertx),
            options,
            new PoolOptions().setMaxSize(SIZE));
    hook = new SnapshotConnections(pool, Duration.ofSeconds(10));
  }

  @AfterEach
  void closePool() {
    pool.close().await().atMost(Duration.ofSeconds(10));
  }

  @Test
  void beforeTheCheckpoint_everyPooledConnectionIsEnded_andTheServerHasNoneLeft() {
    openAll();
    assertEquals(SIZE, pool.size());
    assertEquals(SIZE, serverSessions());

    hook.beforeCheckpoint(null);

    assertEquals(0, pool.size(), "a connection would cross the snapshot");
    assertEquals(0, serverSessions());
    // After the restore the pool opens what it needs: the first query succeeds.
    hook.afterRestore(null);
    assertEquals(1, pool.query("SELECT 1").execute().await().atMost(Duration.ofSeconds(10)).size());
    assertEquals(1, serverSessions());
  }

  /**
   * A restored copy: its pooled sessions are ones the other end has forgotten, and, the process
   * having been frozen, the pool saw no close. {@link Forgetful} plays that network: after {@code
   * forget()} a session's next byte is answered with a reset. Without the restore hook the first
   * query fails; with it, the dead connections are dropped before any request uses them.
   */
  @Test
  void afterTheRestore_sessionsTheOtherEndForgot_areDroppedBeforeAnyRequestUsesThem()
      throws Exception {
    try (Forgetful network = Forgetful.to(writers.connectOptions())) {
      Pool restored = network.pool(vertx, name, SIZE);
      try {
        openAll(restored);
        network.forget();
        assertThrows(
            RuntimeException.class,
            () -> restored.query("SELECT 1").execute().await().atMost(Duration.ofSeconds(10)),
            "the problem the hook solves: a forgotten session fails its first use");
      } finally {
        restored.close().await().atMost(Duration.ofSeconds(10));
      }

      Pool copy = network.pool(vertx, name, SIZE);
      try {
        openAll(copy);
        assertEquals(SIZE, copy.size());
        network.forget();
        new SnapshotConnections(copy, Duration.ofSeconds(5)).afterRestore(null);

        // Every connection the pool now holds is borrowed at once and answers: none is dead.
        openAll(copy);
      } finally {
        copy.close().await().atMost(Duration.ofSeconds(10));
      }
    }
  }

  private void openAll() {
    openAll(pool);
  }

  /** Opens {@link #SIZE} connections of {@code on} at once, then returns them to it idle. */
  private static void openAll(Pool on) {
    List<Uni<SqlConnection>> borrows = new ArrayList<>();
    for (int i = 0; i < SIZE; i++) {
      borrows.add(on.getConnection());
    }
    List<SqlConnection> held =
        Uni.join().all(borrows).andFailFast().await().atMost(Duration.ofSeconds(10));
    for (SqlConnection c : held) {
      c.query("SELECT 1").execute().await().atMost(Duration.ofSeconds(10));
      c.close().await().atMost(Duration.ofSeconds(10));
    }
  }

  private long serverSessions() {
    return server
        .preparedQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1")
        .execute(Tuple.of(name))
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getLong(0);
  }
}
