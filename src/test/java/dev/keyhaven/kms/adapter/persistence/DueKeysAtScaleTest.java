package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.operation.KeyMaintenance;
import dev.keyhaven.kms.support.KmsApi;
import dev.keyhaven.kms.support.Maintenance;
import dev.keyhaven.kms.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The maintenance job against many keys (issue 5, Tests): its cost follows the due keys, not the
 * keys (the due-date index, checked with EXPLAIN — not timing), and concurrent runs rotate each due
 * key exactly once ({@code FOR UPDATE SKIP LOCKED}).
 *
 * <p>Keys are inserted in bulk with SQL in an account of their own, with placeholder wrapped
 * material: rotation never unwraps the old version, it only adds a new one. Before each test the
 * job drains whatever other test classes left due, so the counts here are exact.
 */
@QuarkusTest
class DueKeysAtScaleTest {
  private static final String INSERT_KEYS =
      "INSERT INTO kms_key (key_id, account_id, region, key_spec, key_usage, origin, key_state,"
          + " description, creation_date, current_version, current_key_material_id, policy, tags,"
          + " revision, rotation_period_days, next_rotation_date, on_demand_rotations)"
          + " SELECT gen_random_uuid(), $1, 'us-east-1', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT',"
          + " 'AWS_KMS', 'ENABLED', '', $2, 1, md5($1 || '-' || g) || md5(g || '-' || $1), '{}',"
          + " '{}', 0, 365,"
          // The first $3 are due (their date passed g hours ago); the rest fall due g days ahead.
          + " CASE WHEN g <= $3 THEN $2 - make_interval(hours => g)"
          + " ELSE $2 + make_interval(days => g) END, 0"
          + " FROM generate_series(1, $4) g";
  private static final String INSERT_MATERIAL =
      "INSERT INTO key_material (key_material_id, key_id, version, wrapped, created_at)"
          + " SELECT current_key_material_id, key_id, 1, '\\x00'::bytea, creation_date"
          + " FROM kms_key WHERE account_id = $1";

  @Inject Pool pool;
  @Inject KeyMaintenance job;
  @Inject TestClock clock;

  private final String account = KmsApi.newAccount().accountId();

  @BeforeEach
  void drainOthers() {
    Maintenance.drain(job);
  }

  @AfterEach
  void removeKeys() {
    sql("DELETE FROM kms_key WHERE account_id = $1", Tuple.of(account));
  }

  @Test
  void run_10000KeysOf100Due_rotatesExactlyThoseThroughTheIndex() {
    Instant now = clock.instant();
    insertKeys(now, 100, 10_000);
    sql("ANALYZE kms_key", Tuple.tuple());

    String rotationPlan = explain(HibernateDueKeys.DUE_FOR_ROTATION, now);
    assertTrue(rotationPlan.contains("Index Scan using kms_key_rotation_due"), rotationPlan);
    assertFalse(rotationPlan.contains("Seq Scan"), rotationPlan);
    System.out.print("rotation step plan:\n" + rotationPlan);
    String deletionPlan = explain(HibernateDueKeys.DUE_FOR_DELETION, now);
    assertTrue(deletionPlan.contains("Index Scan using kms_key_deletion_due"), deletionPlan);
    assertFalse(deletionPlan.contains("Seq Scan"), deletionPlan);

    long started = System.nanoTime();
    KeyMaintenance.Summary summary = Maintenance.run(job, new KeyMaintenance.Limits(100, 10));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.printf(
        "maintenance run, 10,000 keys of which 100 due: %d ms, %s%n", millis, summary);

    assertEquals(new KeyMaintenance.Summary(100, 0, 0, 0), summary);
    Row counts =
        one(
            "SELECT count(*) FILTER (WHERE current_version = 2),"
                + " count(*) FILTER (WHERE current_version = 1),"
                + " count(*) FILTER (WHERE next_rotation_date <= $2)"
                + " FROM kms_key WHERE account_id = $1",
            Tuple.of(account, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)));
    assertEquals(100L, counts.getLong(0));
    assertEquals(9_900L, counts.getLong(1));
    assertEquals(0L, counts.getLong(2));
    Row versions =
        one(
            "SELECT count(*) FILTER (WHERE m.rotation_type = 'AUTOMATIC'),"
                + " count(*) FILTER (WHERE m.version = 2 AND k.current_key_material_id"
                + " = m.key_material_id)"
                + " FROM key_material m JOIN kms_key k ON k.key_id = m.key_id"
                + " WHERE k.account_id = $1",
            Tuple.of(account));
    assertEquals(100L, versions.getLong(0));
    assertEquals(100L, versions.getLong(1));
  }

  @Test
  void run_batchBound_leavesTheRestForTheNextRun() {
    insertKeys(clock.instant(), 25, 25);
    KeyMaintenance.Limits small = new KeyMaintenance.Limits(10, 2);
    assertEquals(new KeyMaintenance.Summary(20, 0, 0, 5), Maintenance.run(job, small));
    assertEquals(new KeyMaintenance.Summary(5, 0, 0, 0), Maintenance.run(job, small));
    assertEquals(new KeyMaintenance.Summary(0, 0, 0, 0), Maintenance.run(job, small));
  }

  @Test
  void run_twoConcurrentRuns_eachDueKeyRotatedExactlyOnce() throws Exception {
    insertKeys(clock.instant(), 300, 300);
    KeyMaintenance.Limits limits = new KeyMaintenance.Limits(10, 100);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService runners = Executors.newFixedThreadPool(2);
    try {
      List<Future<KeyMaintenance.Summary>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        runs.add(
            runners.submit(
                () -> {
                  start.await();
                  return Maintenance.run(job, limits);
                }));
      }
      start.countDown();
      KeyMaintenance.Summary first = runs.get(0).get(120, TimeUnit.SECONDS);
      KeyMaintenance.Summary second = runs.get(1).get(120, TimeUnit.SECONDS);
      System.out.printf("concurrent maintenance runs: %s and %s%n", first, second);
      assertEquals(300, first.rotated() + second.rotated());
    } finally {
      runners.shutdownNow();
    }
    Row keys =
        one(
            "SELECT count(*) FILTER (WHERE current_version = 2), count(*) FROM kms_key"
                + " WHERE account_id = $1",
            Tuple.of(account));
    assertEquals(300L, keys.getLong(0));
    assertEquals(300L, keys.getLong(1));
    Row versions =
        one(
            "SELECT count(*) FROM (SELECT m.key_id FROM key_material m JOIN kms_key k"
                + " ON k.key_id = m.key_id WHERE k.account_id = $1 GROUP BY m.key_id"
                + " HAVING count(*) <> 2) wrong",
            Tuple.of(account));
    assertEquals(0L, versions.getLong(0));
  }

  private void insertKeys(Instant now, int due, int total) {
    sql(INSERT_KEYS, Tuple.of(account, OffsetDateTime.ofInstant(now, ZoneOffset.UTC), due, total));
    sql(INSERT_MATERIAL, Tuple.of(account));
  }

  /** The plan of one of the job's queries, with {@code now} and a limit of 100 filled in. */
  private String explain(String query, Instant now) {
    String sql = query.replace(":now", "'" + now + "'::timestamptz").replace(":limit", "100");
    StringBuilder plan = new StringBuilder();
    for (Row row : pool.query("EXPLAIN " + sql).execute().await().indefinitely()) {
      plan.append(row.getString(0)).append('\n');
    }
    return plan.toString();
  }

  private void sql(String sql, Tuple args) {
    pool.preparedQuery(sql).execute(args).await().indefinitely();
  }

  private Row one(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).await().indefinitely().iterator().next();
  }
}
