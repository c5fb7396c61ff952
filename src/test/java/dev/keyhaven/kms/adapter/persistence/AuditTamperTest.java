package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.audit.ChainVerifier;
import dev.keyhaven.kms.operation.VerifyAuditTrail;
import dev.keyhaven.kms.operation.port.AuditStore;
import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's tamper test: 1,000 random mutations of a stored audit log — an edited record, an
 * edited hash, a deleted row, two swapped rows, a moved row, a forged row, a dropped tail, an
 * altered or deleted checkpoint — are each detected by verification, and the untouched log
 * verifies clean every time (no false alarms). Each mutation is undone before the next.
 */
@QuarkusTest
class AuditTamperTest {
  private static final int MUTATIONS = 1000;

  private enum Mutation {
    EDIT_RECORD, EDIT_HASH, DELETE_ROW, SWAP_ROWS, MOVE_ROW, FORGE_ROW, DROP_TAIL,
    ALTER_CHECKPOINT, DELETE_CHECKPOINT
  }

  @Inject Pool pool;
  @Inject VerifyAuditTrail verifier;
  @Inject AuditStore store;

  private long lo;
  private long hi;

  @Test
  void randomMutations_areAllDetected_andTheCleanLogNeverAlarms() {
    KmsApi root = KmsApi.newAccount();
    lo = headSeq() + 1;
    String keyId = root.createKey();
    for (int i = 0; i < 300; i++) {
      root.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "AQID", "EncryptionContext", Map.of("i", "" + i)))
          .statusCode(200);
    }
    hi = headSeq();
    assertTrue(hi - lo >= 300);
    assertTrue(checkpointSeqs().size() >= 5, "the range holds several checkpoints");
    assertTrue(verify().ok(), verify().findings().toString());

    snapshot();
    Random random = new Random(0x4b48L);
    Map<Mutation, Integer> applied = new EnumMap<>(Mutation.class);
    Map<Mutation, Integer> detected = new EnumMap<>(Mutation.class);
    int cleanRuns = 0;
    try {
      for (int i = 0; i < MUTATIONS; i++) {
        Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
        apply(mutation, random);
        applied.merge(mutation, 1, Integer::sum);
        ChainVerifier.Report report = verify();
        if (!report.ok()) {
          detected.merge(mutation, 1, Integer::sum);
        }
        restore();
        if (i % 50 == 0) {
          ChainVerifier.Report clean = verify();
          assertTrue(clean.ok(), "false alarm after restoring: " + clean.findings());
          cleanRuns++;
        }
      }
    } finally {
      restore();
      dropSnapshot();
    }
    assertEquals(applied, detected, "every mutation detected, by kind");
    assertEquals(MUTATIONS, applied.values().stream().mapToInt(Integer::intValue).sum());
    assertEquals(Mutation.values().length, applied.size(), "every kind was tried");
    assertEquals(20, cleanRuns);
    assertTrue(verify().ok());
  }

  private ChainVerifier.Report verify() {
    return verifier.verify(lo, null, store.readHead().await().indefinitely()).await().indefinitely();
  }

  private void apply(Mutation mutation, Random random) {
    long seq = lo + random.nextInt((int) (hi - lo + 1));
    switch (mutation) {
      case EDIT_RECORD -> {
        String json = query("SELECT event_json FROM audit_event WHERE seq = $1", seq).iterator().next().getString(0);
        int at = random.nextInt(json.length());
        String replacement = json.charAt(at) == 'x' ? "y" : "x";
        update("UPDATE audit_event SET event_json = overlay(event_json placing $2 from $3 for 1) WHERE seq = $1",
            seq, replacement, at + 1);
      }
      case EDIT_HASH ->
          update("UPDATE audit_event SET hash = set_byte(hash, $2, get_byte(hash, $2) # 1) WHERE seq = $1",
              seq, random.nextInt(32));
      case DELETE_ROW -> update("DELETE FROM audit_event WHERE seq = $1", seq);
      case SWAP_ROWS -> {
        long other = seq == hi ? seq - 1 - random.nextInt(5) : seq + 1 + random.nextInt((int) Math.min(5, hi - seq));
        update("UPDATE audit_event a SET event_json = b.event_json, hash = b.hash FROM audit_event b"
                + " WHERE (a.seq = $1 AND b.seq = $2) OR (a.seq = $2 AND b.seq = $1)", seq, other);
      }
      case MOVE_ROW -> update("UPDATE audit_event SET seq = seq + 1000000000 WHERE seq = $1", seq);
      case FORGE_ROW ->
          update("INSERT INTO audit_event (seq, event_time, event_name, event_id, event_json, hash)"
                  + " SELECT $1 + 1, event_time, event_name, 'forged', event_json, hash FROM audit_event WHERE seq = $1",
              hi);
      case DROP_TAIL -> update("DELETE FROM audit_event WHERE seq > $1", hi - 1 - random.nextInt((int) (hi - lo)));
      case ALTER_CHECKPOINT -> {
        List<Long> checkpoints = checkpointSeqs();
        long last = checkpoints.get(random.nextInt(checkpoints.size()));
        String change =
            switch (random.nextInt(4)) {
              case 0 -> "head_hash = set_byte(head_hash, 0, get_byte(head_hash, 0) # 1)";
              case 1 -> "signature = set_byte(signature, 10, get_byte(signature, 10) # 1)";
              case 2 -> "created_at = created_at + interval '1 second'";
              default -> "first_seq = first_seq + 1";
            };
        update("UPDATE audit_checkpoint SET " + change + " WHERE last_seq = $1", last);
      }
      case DELETE_CHECKPOINT -> {
        List<Long> checkpoints = checkpointSeqs();
        update("DELETE FROM audit_checkpoint WHERE last_seq = $1", checkpoints.get(random.nextInt(checkpoints.size())));
      }
    }
  }

  private List<Long> checkpointSeqs() {
    List<Long> out = new ArrayList<>();
    query("SELECT last_seq FROM audit_checkpoint WHERE last_seq >= $1 ORDER BY last_seq", lo)
        .forEach(r -> out.add(r.getLong(0)));
    return out;
  }

  private void snapshot() {
    dropSnapshot();
    update("CREATE TABLE test_snap_event AS SELECT * FROM audit_event WHERE seq >= $1", lo);
    update("CREATE TABLE test_snap_checkpoint AS SELECT * FROM audit_checkpoint WHERE last_seq >= $1", lo);
    pool.query("CREATE TABLE test_snap_head AS SELECT * FROM audit_head").execute().await().indefinitely();
  }

  private void restore() {
    pool.withTransaction(
            c ->
                c.preparedQuery("DELETE FROM audit_event WHERE seq >= $1").execute(Tuple.of(lo))
                    .chain(() -> c.query("INSERT INTO audit_event SELECT * FROM test_snap_event").execute())
                    .chain(() -> c.preparedQuery("DELETE FROM audit_checkpoint WHERE last_seq >= $1").execute(Tuple.of(lo)))
                    .chain(() -> c.query("INSERT INTO audit_checkpoint SELECT * FROM test_snap_checkpoint").execute())
                    .chain(() -> c.query("DELETE FROM audit_head").execute())
                    .chain(() -> c.query("INSERT INTO audit_head SELECT * FROM test_snap_head").execute()))
        .await()
        .indefinitely();
  }

  private void dropSnapshot() {
    for (String table : List.of("test_snap_event", "test_snap_checkpoint", "test_snap_head")) {
      pool.query("DROP TABLE IF EXISTS " + table).execute().await().indefinitely();
    }
  }

  private long headSeq() {
    return pool.query("SELECT last_seq FROM audit_head").execute().await().indefinitely().iterator().next().getLong(0);
  }

  private RowSet<Row> query(String sql, Object... params) {
    return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
  }

  private void update(String sql, Object... params) {
    query(sql, params);
  }
}
