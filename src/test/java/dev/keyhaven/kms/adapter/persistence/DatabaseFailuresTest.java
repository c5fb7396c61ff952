package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.keyhaven.kms.operation.port.DependencyUnavailable;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter, not the error mapper, decides that the database could not be reached: each case
 * below is the driver's own failure, produced for real against a port with nothing listening or a
 * server that never answers, and must arrive as {@link DependencyUnavailable} (503 for the caller);
 * a database that answered with an error must not.
 */
class DatabaseFailuresTest {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void classify_connectionRefused_dependencyUnavailable() throws Exception {
    Throwable refused = failureOf(PgConnection.connect(vertx, PeerServer.options(closedPort())));
    Throwable classified = DatabaseFailures.classify(refused);
    assertInstanceOf(DependencyUnavailable.class, classified);
    assertSame(refused, classified.getCause());
  }

  @Test
  void classify_serverClosesTheConnection_dependencyUnavailable() throws Exception {
    try (PeerServer closing = PeerServer.closing()) {
      Throwable closed = failureOf(PgConnection.connect(vertx, closing.options()));
      assertInstanceOf(DependencyUnavailable.class, DatabaseFailures.classify(closed));
    }
  }

  @Test
  void classify_noPooledConnectionInTime_dependencyUnavailable() throws Exception {
    // A server that accepts and never answers (a frozen PostgreSQL): the pool's only connection
    // never becomes ready, so a query waits for one until the pool's wait timeout.
    try (PeerServer silent = PeerServer.silent()) {
      Pool pool =
          PgBuilder.pool()
              .with(
                  new PoolOptions()
                      .setMaxSize(1)
                      .setConnectionTimeout(200)
                      .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
              .connectingTo(silent.options())
              .using(vertx)
              .build();
      try {
        Throwable waited = failureOf(pool.query("SELECT 1").execute());
        assertInstanceOf(DependencyUnavailable.class, DatabaseFailures.classify(waited));
      } finally {
        pool.close();
      }
    }
  }

  @Test
  void classify_wrappedByHibernateReactive_dependencyUnavailable() throws Exception {
    Throwable refused = failureOf(PgConnection.connect(vertx, PeerServer.options(closedPort())));
    Throwable wrapped = new CompletionException(new HibernateException("HR000001", refused));
    assertInstanceOf(DependencyUnavailable.class, DatabaseFailures.classify(wrapped));
  }

  @Test
  void classify_databaseAnsweredWithAnError_unchanged() {
    PgException unique =
        new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null);
    assertSame(unique, DatabaseFailures.classify(unique));
    IllegalStateException ours = new IllegalStateException("material does not unwrap");
    assertSame(ours, DatabaseFailures.classify(ours));
  }

  @Test
  void guard_workFailsOnAnUnreachableDatabase_dependencyUnavailable() throws Exception {
    PgDatabaseWatch watch =
        new PgDatabaseWatch(
            vertx,
            PeerServer.options(closedPort()),
            PgDatabaseWatch.PENDING_BEFORE_PROBE,
            PgDatabaseWatch.PROBE_TIMEOUT);
    Throwable refused = failureOf(PgConnection.connect(vertx, PeerServer.options(closedPort())));
    Throwable failure =
        watch
            .guard(Uni.createFrom().failure(refused))
            .onItem()
            .transform(x -> (Throwable) null)
            .onFailure()
            .recoverWithItem(f -> f)
            .await()
            .atMost(Duration.ofSeconds(10));
    assertInstanceOf(DependencyUnavailable.class, failure);
    IllegalArgumentException other = new IllegalArgumentException("not the database");
    Throwable passed =
        watch
            .guard(Uni.createFrom().failure(other))
            .onItem()
            .transform(x -> (Throwable) null)
            .onFailure()
            .recoverWithItem(f -> f)
            .await()
            .atMost(Duration.ofSeconds(10));
    assertSame(other, passed);
  }

  /** A port with nothing listening on it (bound once, then released). */
  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Throwable failureOf(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
