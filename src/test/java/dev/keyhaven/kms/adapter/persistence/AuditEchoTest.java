package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.domain.audit.ChainHead;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The audit writer's echo of group-committed records (AuditEcho, docs/audit.md "Log sink"): one
 * call per group commit with all its durable records, each record once, in chain order; only after
 * PostgreSQL answered the COMMIT (a query started from the echo sees every echoed row) and before
 * any of the batch's appends completes; a batch that failed echoes nothing.
 */
@QuarkusTest
class AuditEchoTest {
  private static final AtomicInteger COUNTER = new AtomicInteger(1_000_000);

  @Inject AuditWriters writers;
  @Inject Pool pool;

  private final List<List<AuditRecord>> echoed = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Boolean>> visibleAtEcho = new CopyOnWriteArrayList<>();
  private final Set<String> completed = ConcurrentHashMap.newKeySet();
  private final AtomicInteger echoedBeforeItsAnswer = new AtomicInteger();

  /** Records each echo, and whether its rows were committed and its appends still waiting. */
  private void echo(List<AuditRecord> records) {
    echoed.add(List.copyOf(records));
    List<String> ids = records.stream().map(r -> r.event().eventId()).toList();
    if (ids.stream().noneMatch(completed::contains)) {
      echoedBeforeItsAnswer.incrementAndGet();
    }
    // Started now on another connection: it counts the rows only if their COMMIT was answered.
    visibleAtEcho.add(
        pool.preparedQuery("SELECT count(*) FROM audit_event WHERE event_id = ANY($1)")
            .execute(Tuple.of(ids.toArray(new String[0])))
            .map(rows -> rows.iterator().next().getLong(0) == ids.size())
            .subscribeAsCompletionStage());
  }

  @Test
  void groupCommits_echoEachDurableRecordOnce_inChainOrder_afterCommit_beforeTheAnswer()
      throws Exception {
    PgAuditLog writer = writers.start(pool, this::echo);
    long after = writers.head(writer.chainId()).lastSeq();
    int appended = 0;
    for (int round = 0; round < 10; round++) {
      List<Uni<Void>> concurrent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        AuditRecord record = AuditRecord.of(AuditScaleTest.event(COUNTER.getAndIncrement()));
        concurrent.add(writer.append(record).invoke(() -> completed.add(record.event().eventId())));
        appended++;
      }
      Uni.join().all(concurrent).andFailFast().await().indefinitely();
    }

    List<String> inChain = new ArrayList<>();
    for (Row row :
        pool.preparedQuery(
                "SELECT event_id FROM audit_event WHERE chain_id = $1 AND seq > $2 ORDER BY seq")
            .execute(Tuple.of(writer.chainId(), after))
            .await()
            .indefinitely()) {
      inChain.add(row.getString(0));
    }
    List<String> echoedIds =
        echoed.stream().flatMap(List::stream).map(r -> r.event().eventId()).toList();
    assertEquals(appended, inChain.size());
    assertEquals(inChain, echoedIds, "each durable record echoed once, in chain order");
    assertTrue(
        echoed.size() < appended && echoed.stream().anyMatch(batch -> batch.size() > 1),
        "one echo per group commit, not per record: " + echoed.size() + " echoes");
    assertEquals(echoed.size(), echoedBeforeItsAnswer.get(), "echoed before its appends completed");
    for (CompletableFuture<Boolean> visible : visibleAtEcho) {
      assertTrue(visible.get(30, TimeUnit.SECONDS), "a record was echoed before its COMMIT");
    }
  }

  @Test
  void failedGroupCommit_echoesNothing() {
    PgAuditLog writer = writers.start(pool, this::echo);
    writer
        .append(AuditRecord.of(AuditScaleTest.event(COUNTER.getAndIncrement())))
        .await()
        .indefinitely();
    echoed.clear();
    ChainHead before = writers.head(writer.chainId());
    // A row already holding the next seq makes the batch's INSERT, and so its COMMIT, fail.
    long blocking = AuditWriters.occupyNextSeq(pool, before);
    try {
      List<Uni<Void>> batch = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        batch.add(writer.append(AuditRecord.of(AuditScaleTest.event(COUNTER.getAndIncrement()))));
      }
      assertThrows(
          RuntimeException.class,
          () -> Uni.join().all(batch).andCollectFailures().await().indefinitely());
      assertEquals(List.of(), echoed, "a failed group commit was echoed");
    } finally {
      AuditWriters.freeSeq(pool, before, blocking);
    }
  }
}
