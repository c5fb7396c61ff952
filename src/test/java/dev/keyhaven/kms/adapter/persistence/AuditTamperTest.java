package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.ChainVerifier;
import dev.keyhaven.kms.operation.admin.VerifyAuditTrail;
import dev.keyhaven.kms.operation.port.AuditStore;
import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's tamper test, over two chains and their manifests: 1,000 random mutations of a stored
 * trail — an edited record, an edited hash, a deleted row, two swapped rows, a moved row, a forged
 * row, a dropped tail, an altered or deleted checkpoint; a dropped chain, a chain cut below what
 * the last manifest names (with its head and checkpoints rewritten to match), an altered or deleted
 * manifest — are each detected by verification, and the untouched trail verifies clean every time
 * (no false alarms). Each mutation is undone before the next.
 *
 * <p>Chain A is this server's own chain (records made through the API); chain B is a second
 * writer's, as another server instance or Lambda environment would hold.
 */
@QuarkusTest
class AuditTamperTest {
  private static final int MUTATIONS = 1000;

  private enum Mutation {
    EDIT_RECORD,
    EDIT_HASH,
    DELETE_ROW,
    SWAP_ROWS,
    MOVE_ROW,
    FORGE_ROW,
    DROP_TAIL,
    ALTER_CHECKPOINT,
    DELETE_CHECKPOINT,
    DROP_CHAIN,
    CUT_BELOW_MANIFEST,
    ALTER_MANIFEST,
    DELETE_MANIFEST
  }

  @Inject Pool pool;
  @Inject VerifyAuditTrail verifier;
  @Inject AuditStore store;
  @Inject PgAuditLog log;
  @Inject AuditWriters writers;

  private long chainA;
  private long lo;
  private long hi;
  private long chainB;
  private long bLo;
  private long bHi;
  private long firstManifest;
  private int manifestsMade;

  @Test
  void randomMutations_areAllDetected_andTheCleanTrailNeverAlarms() {
    KmsApi root = KmsApi.newAccount();
    chainA = log.chainId();
    lo = head(chainA).lastSeq() + 1;
    String keyId = root.createKey();
    for (int i = 0; i < 300; i++) {
      root.call(
              "Encrypt",
              Map.of("KeyId", keyId, "Plaintext", "AQID", "EncryptionContext", Map.of("i", "" + i)))
          .statusCode(200);
    }
    hi = head(chainA).lastSeq();
    assertTrue(hi - lo >= 300);
    assertTrue(
        seqs(
                    "SELECT last_seq FROM audit_checkpoint WHERE chain_id = $1 AND last_seq >= $2",
                    chainA,
                    lo)
                .size()
            >= 5,
        "the range holds several checkpoints");

    PgAuditLog second = writers.start();
    chainB = second.chainId();
    assertNotEquals(chainA, chainB, "a second writer leases its own chain");
    bLo = head(chainB).lastSeq() + 1;
    firstManifest = lastManifest() + 1;
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 40; i++) {
        second.append(AuditRecord.of(AuditScaleTest.event(i))).await().indefinitely();
      }
      log.manifest(true).await().indefinitely();
    }
    bHi = head(chainB).lastSeq();
    assertEquals(bLo + 119, bHi);
    // Three forced here; the second writer, having no timer, may have signed one itself.
    manifestsMade = (int) (lastManifest() - firstManifest + 1);
    assertTrue(manifestsMade >= 3, manifestsMade + " manifests");
    assertTrue(clean(), "the trail verifies before any mutation");

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
        if (!clean()) {
          detected.merge(mutation, 1, Integer::sum);
        }
        restore();
        if (i % 50 == 0) {
          assertTrue(clean(), "false alarm after restoring " + mutation);
          cleanRuns++;
        }
      }
    } finally {
      restore();
      dropSnapshot();
      second.release(Duration.ofSeconds(10));
    }
    assertEquals(applied, detected, "every mutation detected, by kind");
    assertEquals(MUTATIONS, applied.values().stream().mapToInt(Integer::intValue).sum());
    assertEquals(Mutation.values().length, applied.size(), "every kind was tried");
    assertEquals(20, cleanRuns);
    assertTrue(clean());
  }

  /**
   * Chain A from {@code lo}, chain B from {@code bLo} (if it is still stored: a dropped chain is
   * for the manifests to find) and every manifest verify clean.
   */
  private boolean clean() {
    ChainVerifier.Report a = verifier.verify(lo, null, head(chainA)).await().indefinitely();
    ChainHead b = head(chainB);
    ChainVerifier.Report rb =
        b == null ? null : verifier.verify(bLo, null, b).await().indefinitely();
    List<ChainVerifier.Finding> manifests = verifier.verifyManifests().await().indefinitely();
    return a.ok() && (rb == null || rb.ok()) && manifests.isEmpty();
  }

  private void apply(Mutation mutation, Random random) {
    long seq = lo + random.nextInt((int) (hi - lo + 1));
    switch (mutation) {
      case EDIT_RECORD -> {
        String json =
            query(
                    "SELECT event_json FROM audit_event WHERE chain_id = $1 AND seq = $2",
                    chainA,
                    seq)
                .iterator()
                .next()
                .getString(0);
        int at = random.nextInt(json.length());
        String replacement = json.charAt(at) == 'x' ? "y" : "x";
        update(
            "UPDATE audit_event SET event_json = overlay(event_json placing $3 from $4 for 1)"
                + " WHERE chain_id = $1 AND seq = $2",
            chainA,
            seq,
            replacement,
            at + 1);
      }
      case EDIT_HASH ->
          update(
              "UPDATE audit_event SET hash = set_byte(hash, $3, get_byte(hash, $3) # 1)"
                  + " WHERE chain_id = $1 AND seq = $2",
              chainA,
              seq,
              random.nextInt(32));
      case DELETE_ROW ->
          update("DELETE FROM audit_event WHERE chain_id = $1 AND seq = $2", chainA, seq);
      case SWAP_ROWS -> {
        long other =
            seq == hi
                ? seq - 1 - random.nextInt(5)
                : seq + 1 + random.nextInt((int) Math.min(5, hi - seq));
        update(
            "UPDATE audit_event a SET event_json = b.event_json, hash = b.hash FROM audit_event b"
                + " WHERE a.chain_id = $1 AND b.chain_id = $1"
                + " AND ((a.seq = $2 AND b.seq = $3) OR (a.seq = $3 AND b.seq = $2))",
            chainA,
            seq,
            other);
      }
      case MOVE_ROW ->
          update(
              "UPDATE audit_event SET seq = seq + 1000000000 WHERE chain_id = $1 AND seq = $2",
              chainA,
              seq);
      case FORGE_ROW ->
          update(
              "INSERT INTO audit_event (chain_id, seq, event_time, event_name, event_id, event_json, hash)"
                  + " SELECT chain_id, $2 + 1, event_time, event_name, 'forged', event_json, hash"
                  + " FROM audit_event WHERE chain_id = $1 AND seq = $2",
              chainA,
              hi);
      case DROP_TAIL ->
          update(
              "DELETE FROM audit_event WHERE chain_id = $1 AND seq > $2",
              chainA,
              hi - 1 - random.nextInt((int) (hi - lo)));
      case ALTER_CHECKPOINT -> {
        List<Long> checkpoints =
            seqs(
                "SELECT last_seq FROM audit_checkpoint WHERE chain_id = $1 AND last_seq >= $2",
                chainA,
                lo);
        long last = checkpoints.get(random.nextInt(checkpoints.size()));
        String change =
            switch (random.nextInt(4)) {
              case 0 -> "head_hash = set_byte(head_hash, 0, get_byte(head_hash, 0) # 1)";
              case 1 -> "signature = set_byte(signature, 10, get_byte(signature, 10) # 1)";
              case 2 -> "created_at = created_at + interval '1 second'";
              default -> "first_seq = first_seq + 1";
            };
        update(
            "UPDATE audit_checkpoint SET " + change + " WHERE chain_id = $1 AND last_seq = $2",
            chainA,
            last);
      }
      case DELETE_CHECKPOINT -> {
        List<Long> checkpoints =
            seqs(
                "SELECT last_seq FROM audit_checkpoint WHERE chain_id = $1 AND last_seq >= $2",
                chainA,
                lo);
        update(
            "DELETE FROM audit_checkpoint WHERE chain_id = $1 AND last_seq = $2",
            chainA,
            checkpoints.get(random.nextInt(checkpoints.size())));
      }
      case DROP_CHAIN -> {
        update("DELETE FROM audit_event WHERE chain_id = $1", chainB);
        update("DELETE FROM audit_checkpoint WHERE chain_id = $1", chainB);
        update("DELETE FROM audit_chain WHERE chain_id = $1", chainB);
      }
      case CUT_BELOW_MANIFEST -> {
        // Cut chain B below the head the last manifest names, and make its head and checkpoints
        // agree: the chain's own walk finds nothing; only the manifest can.
        long keep = bLo + random.nextInt((int) (bHi - bLo));
        update("DELETE FROM audit_event WHERE chain_id = $1 AND seq > $2", chainB, keep);
        update("DELETE FROM audit_checkpoint WHERE chain_id = $1 AND last_seq > $2", chainB, keep);
        update(
            "UPDATE audit_chain SET last_seq = $2,"
                + " last_hash = (SELECT hash FROM audit_event WHERE chain_id = $1 AND seq = $2),"
                + " checkpoint_seq = COALESCE((SELECT max(last_seq) FROM audit_checkpoint WHERE chain_id = $1), 0),"
                + " checkpoint_signature = (SELECT signature FROM audit_checkpoint WHERE chain_id = $1"
                + " ORDER BY last_seq DESC LIMIT 1) WHERE chain_id = $1",
            chainB,
            keep);
      }
      case ALTER_MANIFEST -> {
        long m = firstManifest + random.nextInt(manifestsMade);
        String change =
            switch (random.nextInt(3)) {
              case 0 ->
                  "heads = overlay(heads placing (CASE WHEN substr(heads, 3, 1) = '1' THEN '2' ELSE '1' END) from 3 for 1)";
              case 1 -> "signature = set_byte(signature, 10, get_byte(signature, 10) # 1)";
              default -> "created_at = created_at + interval '1 second'";
            };
        update("UPDATE audit_manifest SET " + change + " WHERE manifest_seq = $1", m);
      }
      case DELETE_MANIFEST ->
          // Not the last: a deleted newest manifest is the unsigned-tail limit docs/audit.md
          // states.
          update(
              "DELETE FROM audit_manifest WHERE manifest_seq = $1",
              firstManifest + random.nextInt(manifestsMade - 1));
    }
  }

  /** Chain {@code chainId}'s head, null if the chain is not stored. */
  private ChainHead head(long chainId) {
    return store.heads().await().indefinitely().stream()
        .filter(h -> h.chainId() == chainId)
        .findFirst()
        .orElse(null);
  }

  private long lastManifest() {
    return query("SELECT COALESCE(max(manifest_seq), 0) FROM audit_manifest")
        .iterator()
        .next()
        .getLong(0);
  }

  private List<Long> seqs(String sql, Object... params) {
    List<Long> out = new ArrayList<>();
    query(sql + " ORDER BY 1", params).forEach(r -> out.add(r.getLong(0)));
    return out;
  }

  /**
   * The parts of the trail the mutations touch: chain A from lo, all of chain B, chains, manifests.
   */
  private static final String EVENTS = "(chain_id = $1 AND seq >= $2) OR chain_id = $3";

  private static final String CHECKPOINTS = "(chain_id = $1 AND last_seq >= $2) OR chain_id = $3";

  private void snapshot() {
    dropSnapshot();
    update(
        "CREATE TABLE test_snap_event AS SELECT * FROM audit_event WHERE " + EVENTS,
        chainA,
        lo,
        chainB);
    update(
        "CREATE TABLE test_snap_checkpoint AS SELECT * FROM audit_checkpoint WHERE " + CHECKPOINTS,
        chainA,
        lo,
        chainB);
    update("CREATE TABLE test_snap_chain AS SELECT * FROM audit_chain");
    update("CREATE TABLE test_snap_manifest AS SELECT * FROM audit_manifest");
  }

  private void restore() {
    Tuple range = Tuple.of(chainA, lo, chainB);
    pool.withTransaction(
            c ->
                c.preparedQuery("DELETE FROM audit_event WHERE " + EVENTS)
                    .execute(range)
                    .chain(
                        () ->
                            c.query("INSERT INTO audit_event SELECT * FROM test_snap_event")
                                .execute())
                    .chain(
                        () ->
                            c.preparedQuery("DELETE FROM audit_checkpoint WHERE " + CHECKPOINTS)
                                .execute(range))
                    .chain(
                        () ->
                            c.query(
                                    "INSERT INTO audit_checkpoint SELECT * FROM test_snap_checkpoint")
                                .execute())
                    .chain(() -> c.query("DELETE FROM audit_chain").execute())
                    .chain(
                        () ->
                            c.query("INSERT INTO audit_chain SELECT * FROM test_snap_chain")
                                .execute())
                    .chain(() -> c.query("DELETE FROM audit_manifest").execute())
                    .chain(
                        () ->
                            c.query("INSERT INTO audit_manifest SELECT * FROM test_snap_manifest")
                                .execute()))
        .await()
        .indefinitely();
  }

  private void dropSnapshot() {
    for (String table :
        List.of(
            "test_snap_event", "test_snap_checkpoint", "test_snap_chain", "test_snap_manifest")) {
      pool.query("DROP TABLE IF EXISTS " + table).execute().await().indefinitely();
    }
  }

  private RowSet<Row> query(String sql, Object... params) {
    return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
  }

  private void update(String sql, Object... params) {
    query(sql, params);
  }
}
