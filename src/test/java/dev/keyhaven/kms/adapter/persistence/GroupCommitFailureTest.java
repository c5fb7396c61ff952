package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.audit.AuditEvent;
import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.ChainVerifier;
import dev.keyhaven.kms.operation.admin.VerifyAuditTrail;
import dev.keyhaven.kms.operation.port.AuditStore;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A group commit whose pipelined statements fail (a row already holds the next seq) fails every
 * append of the batch and writes nothing — not even the head: the COMMIT sent behind the failed
 * INSERT is answered as a rollback. No connection is left inside a transaction: the appends that
 * follow, spread over the pool's connections, form a chain that verifies.
 */
@QuarkusTest
class GroupCommitFailureTest {
  @Inject PgAuditLog log;
  @Inject AuditStore store;
  @Inject VerifyAuditTrail verifier;
  @Inject Pool pool;

  private static final AtomicInteger COUNTER = new AtomicInteger();

  @Test
  void failedBatch_writesNothing_andLaterAppendsChainCleanly() {
    log.append(AuditRecord.of(event())).await().indefinitely();
    ChainHead before = head();
    long blocking = AuditWriters.occupyNextSeq(pool, before);
    try {
      List<Uni<Void>> batch = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        batch.add(log.append(AuditRecord.of(event())));
      }
      for (Uni<Void> append : batch) {
        assertThrows(RuntimeException.class, () -> append.await().indefinitely());
      }
      ChainHead after = head();
      assertEquals(before.lastSeq(), after.lastSeq(), "the failed batch moved the head");
      assertEquals(
          1L,
          pool.preparedQuery("SELECT count(*) FROM audit_event WHERE chain_id = $2 AND seq >= $1")
              .execute(Tuple.of(blocking, before.chainId()))
              .await()
              .indefinitely()
              .iterator()
              .next()
              .getLong(0),
          "the failed batch wrote rows");
    } finally {
      AuditWriters.freeSeq(pool, before, blocking);
    }

    for (int round = 0; round < 40; round++) {
      List<Uni<Void>> concurrent = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        concurrent.add(log.append(AuditRecord.of(event())));
      }
      Uni.join().all(concurrent).andFailFast().await().indefinitely();
    }
    ChainHead head = head();
    assertEquals(before.lastSeq() + 320, head.lastSeq());
    ChainVerifier.Report report = verifier.verify(1, null, head).await().indefinitely();
    assertTrue(report.ok(), report.findings().toString());
  }

  private ChainHead head() {
    return AuditWriters.head(store, log.chainId());
  }

  private static AuditEvent event() {
    return AuditScaleTest.event(COUNTER.getAndIncrement());
  }
}
