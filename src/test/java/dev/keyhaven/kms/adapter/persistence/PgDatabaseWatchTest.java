package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.operation.port.DatabaseWatch;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A request never waits on a database that answers nothing (docs/reliability.md, scenario 2,
 * PostgreSQL frozen with SIGSTOP), and is never cut short while the database answers.
 */
@QuarkusTest
class PgDatabaseWatchTest {
  @Inject DatabaseWatch watch;
  @Inject Vertx vertx;

  @Test
  void guard_silentDatabase_failsOnItsProbeTimeout_withoutCancellingTheWork() throws Exception {
    // A server that accepts connections and never says a word, as a frozen PostgreSQL does.
    try (PeerServer silent = PeerServer.silent()) {
      PgDatabaseWatch hung =
          new PgDatabaseWatch(
              vertx,
              silent.options(),
              PgDatabaseWatch.PENDING_BEFORE_PROBE,
              PgDatabaseWatch.PROBE_TIMEOUT);
      AtomicBoolean cancelled = new AtomicBoolean();
      Uni<String> never =
          Uni.createFrom().<String>nothing().onCancellation().invoke(() -> cancelled.set(true));
      long start = System.nanoTime();
      Throwable failure =
          hung.guard(never)
              .onItem()
              .transform(x -> (Throwable) null)
              .onFailure()
              .recoverWithItem(f -> f)
              .await()
              .atMost(Duration.ofSeconds(20));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertInstanceOf(DatabaseWatch.DatabaseHungException.class, failure);
      // Lower bound, exact on any machine: Vert.x timers never fire early, and the failure needs
      // the pending wait and then the probe's timeout, one after the other. Upper bound: ended by
      // those two timers, not by the work (which never ends) nor by a connect timeout (Vert.x's
      // default is 60 s); how late a timer fires on a loaded machine is not what this catches, so
      // the margin is wide.
      long timers =
          PgDatabaseWatch.PENDING_BEFORE_PROBE.plus(PgDatabaseWatch.PROBE_TIMEOUT).toMillis();
      assertTrue(
          millis >= timers,
          millis + " ms, before the pending wait and probe timeout of " + timers + " ms");
      assertTrue(millis < timers + 7500, millis + " ms: not ended by the watch's own timers");
      assertFalse(cancelled.get(), "the work itself must run on");
      // Work that ends in time is answered as it is, also on a silent database.
      assertEquals(
          "done", hung.guard(Uni.createFrom().item("done")).await().atMost(Duration.ofSeconds(5)));
    }
  }

  @Test
  void guard_answeringDatabase_waitsForSlowWork() {
    // 3 s of our own work (say, key generation) while the database answers probes: waited for.
    Uni<String> slow = Uni.createFrom().item("done").onItem().delayIt().by(Duration.ofSeconds(3));
    assertEquals("done", watch.guard(slow).await().atMost(Duration.ofSeconds(10)));
  }
}
