package dev.keyhaven.kms.adapter.persistence;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.domain.audit.ChainHash;
import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.ChainVerifier;
import dev.keyhaven.kms.domain.audit.Checkpoint;
import dev.keyhaven.kms.operation.admin.VerifyAuditTrail;
import dev.keyhaven.kms.operation.port.AuditSigner;
import dev.keyhaven.kms.operation.port.AuditStore;
import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Several audit chains (docs/audit.md, "Chains"): writers append to chains of their own at the same
 * time and the whole trail verifies; a chain whose writer's lease ran out is taken over and
 * continues without a gap, while its old writer moves to another chain; and a v8 database's single
 * chain migrates to chain 1, still verifies, and goes on growing.
 */
@QuarkusTest
class AuditChainsTest {
  @Inject Pool pool;
  @Inject PgAuditLog log;
  @Inject AuditStore store;
  @Inject VerifyAuditTrail verifier;
  @Inject AuditSigner signer;
  @Inject ChainHash hash;
  @Inject Vertx vertx;
  @Inject AuditWriters writers;

  @Test
  void twoWriters_appendAtOnce_onChainsOfTheirOwn_andTheTrailVerifies() {
    PgAuditLog second = writer(pool);
    try {
      assertNotEquals(log.chainId(), second.chainId());
      long a = head(store, log.chainId()).lastSeq();
      long b = head(store, second.chainId()).lastSeq();
      for (int round = 0; round < 20; round++) {
        List<Uni<Void>> appends = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          appends.add(log.append(AuditRecord.of(AuditScaleTest.event(i))));
          appends.add(second.append(AuditRecord.of(AuditScaleTest.event(i))));
        }
        Uni.join().all(appends).andFailFast().await().indefinitely();
      }
      assertEquals(a + 200, head(store, log.chainId()).lastSeq());
      assertEquals(b + 200, head(store, second.chainId()).lastSeq());
      log.manifest(true).await().indefinitely();

      KmsApi root = KmsApi.operator();
      root.callAdmin("VerifyAuditTrail", Map.of())
          .statusCode(200)
          .body("Valid", equalTo(true))
          .body("ChainsChecked", greaterThanOrEqualTo(2))
          .body("ManifestsChecked", greaterThanOrEqualTo(1));
      root.callAdmin("VerifyAuditTrail", Map.of("ChainId", second.chainId(), "FromSeq", b + 1))
          .statusCode(200)
          .body("Valid", equalTo(true))
          .body("ChainId", equalTo((int) second.chainId()))
          .body("RecordsChecked", equalTo(200));
      root.callAdmin("VerifyAuditTrail", Map.of("FromSeq", 2))
          .statusCode(400)
          .body("__type", equalTo("ValidationException"));
      root.callAdmin("VerifyAuditTrail", Map.of("ChainId", 999999))
          .statusCode(400)
          .body("__type", equalTo("ValidationException"));
    } finally {
      second.release(Duration.ofSeconds(10));
    }
  }

  @Test
  void aChainWhoseLeaseRanOut_isTakenOverWithoutAGap_andItsOldWriterMovesOn() {
    PgAuditLog second = writer(pool);
    PgAuditLog third = null;
    try {
      long chain = second.chainId();
      for (int i = 0; i < 10; i++) {
        second.append(AuditRecord.of(AuditScaleTest.event(i))).await().indefinitely();
      }
      long before = head(store, chain).lastSeq();
      // The second writer freezes past its lease; every other idle chain is busy, so the next
      // writer to start takes exactly this one over.
      sql(
          "UPDATE audit_chain SET lease_until = now() + interval '1 hour' WHERE chain_id <> $1"
              + " AND lease_until < now()",
          chain);
      sql(
          "UPDATE audit_chain SET lease_until = now() - interval '1 second' WHERE chain_id = $1",
          chain);
      third = writer(pool);
      assertEquals(chain, third.chainId(), "the expired chain is taken over");
      for (int i = 0; i < 5; i++) {
        third.append(AuditRecord.of(AuditScaleTest.event(i))).await().indefinitely();
      }
      assertEquals(before + 5, head(store, chain).lastSeq(), "the chain continues where it ended");

      // The old writer thaws: its next append notices the lost lease and moves to another chain.
      var thawed = AuditScaleTest.event(99);
      second.append(AuditRecord.of(thawed)).await().indefinitely();
      assertNotEquals(chain, second.chainId());
      assertEquals(
          before + 5, head(store, chain).lastSeq(), "nothing more on the taken-over chain");
      assertEquals(
          second.chainId(),
          pool.preparedQuery("SELECT chain_id FROM audit_event WHERE request_id = $1")
              .execute(Tuple.of(thawed.requestId()))
              .await()
              .indefinitely()
              .iterator()
              .next()
              .getLong(0),
          "the thawed writer's record is on its new chain");

      ChainVerifier.Report report =
          verifier.verify(1, null, head(store, chain)).await().indefinitely();
      assertTrue(report.ok(), report.findings().toString());
      assertEquals(before + 5, report.records());
      VerifyAuditTrail.Response all = verifier.verifyTrail().await().indefinitely();
      assertTrue(all.valid(), all.findings().toString());
    } finally {
      second.release(Duration.ofSeconds(10));
      if (third != null) {
        third.release(Duration.ofSeconds(10));
      }
    }
  }

  /**
   * Two copies of one snapshot (SnapStart): the same chain and owner id in both. After the writer's
   * snapshot hook ran, each copy appends to a chain of its own, leased under a new owner id; the
   * chain of the snapshot was given up at the checkpoint, so one copy continues it.
   */
  @Test
  void copiesOfOneSnapshot_eachLeaseAChainOfTheirOwn() throws Exception {
    PgAuditLog snapshot = writer(pool);
    PgAuditLog copy = new PgAuditLog(snapshot, pool);
    try {
      long chain = snapshot.chainId();
      assertEquals(chain, copy.chainId(), "a copy starts on the snapshot's chain");
      snapshot.snapshotHook().beforeCheckpoint(null);
      snapshot.snapshotHook().afterRestore(null);
      copy.snapshotHook().afterRestore(null);
      for (int i = 0; i < 5; i++) {
        Uni.join()
            .all(
                snapshot.append(AuditRecord.of(AuditScaleTest.event(i))),
                copy.append(AuditRecord.of(AuditScaleTest.event(i))))
            .andFailFast()
            .await()
            .indefinitely();
      }
      assertNotEquals(0, snapshot.chainId());
      assertNotEquals(0, copy.chainId());
      assertNotEquals(snapshot.chainId(), copy.chainId(), "the copies share a chain");
      VerifyAuditTrail.Response all = verifier.verifyTrail().await().indefinitely();
      assertTrue(all.valid(), all.findings().toString());
    } finally {
      snapshot.release(Duration.ofSeconds(10));
      copy.release(Duration.ofSeconds(10));
    }
  }

  @Test
  void aV8SingleChain_migratesToChainOne_stillVerifies_andGoesOn() throws Exception {
    pool.query("DROP SCHEMA IF EXISTS audit_v8 CASCADE").execute().await().indefinitely();
    pool.query("CREATE SCHEMA audit_v8").execute().await().indefinitely();
    PgConnectOptions options = writers.connectOptions();
    options.setProperties(Map.of("search_path", "audit_v8"));
    Pool v8 =
        Pool.pool(
            io.vertx.mutiny.core.Vertx.newInstance(vertx),
            options,
            new PoolOptions().setMaxSize(2));
    try {
      for (int v = 1; v <= 8; v++) {
        v8.query(migration(v)).execute().await().indefinitely();
      }
      // 120 records and two checkpoints as v4–v8 wrote them: one chain, genesis zeros, /1 format.
      AuditSigner.StoredKey key = signer.current();
      v8.preparedQuery(
              "INSERT INTO audit_signing_key (key_id, public_key, wrapped_private, created_at)"
                  + " VALUES ($1, $2, $3, now())")
          .execute(
              Tuple.of(
                  key.keyId(),
                  Buffer.buffer(key.publicKeyDer()),
                  Buffer.buffer(key.wrappedPrivateKey())))
          .await()
          .indefinitely();
      byte[] previous = ChainHash.genesis();
      byte[] lastSignature = null;
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      for (long seq = 1; seq <= 120; seq++) {
        AuditRecord record = AuditRecord.of(AuditScaleTest.event((int) seq));
        previous = hash.link(previous, seq, record.canonical());
        v8.preparedQuery(
                "INSERT INTO audit_event (seq, event_time, event_name, event_id, event_json, hash)"
                    + " VALUES ($1, $2, 'Encrypt', $3, $4, $5)")
            .execute(
                Tuple.of(
                    seq,
                    now,
                    "e" + seq,
                    new String(record.canonical(), StandardCharsets.UTF_8),
                    Buffer.buffer(previous)))
            .await()
            .indefinitely();
        if (seq % 50 == 0) {
          Checkpoint c =
              signer.sign(
                  new Checkpoint(
                      1, seq - 49, seq, previous, lastSignature, now.toInstant(), null, null));
          Tuple row = Tuple.tuple();
          row.addValue(seq);
          row.addValue(seq - 49);
          row.addValue(Buffer.buffer(previous));
          row.addValue(lastSignature == null ? null : Buffer.buffer(lastSignature));
          row.addValue(c.createdAt().atOffset(ZoneOffset.UTC));
          row.addValue(c.signingKeyId());
          row.addValue(Buffer.buffer(c.signature()));
          v8.preparedQuery(
                  "INSERT INTO audit_checkpoint (last_seq, first_seq, head_hash, previous_signature,"
                      + " created_at, signing_key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)")
              .execute(row)
              .await()
              .indefinitely();
          lastSignature = c.signature();
          v8.preparedQuery(
                  "UPDATE audit_head SET checkpoint_seq = $1, checkpoint_signature = $2, checkpoint_time = $3")
              .execute(
                  Tuple.of(
                      seq, Buffer.buffer(lastSignature), c.createdAt().atOffset(ZoneOffset.UTC)))
              .await()
              .indefinitely();
        }
      }
      v8.preparedQuery("UPDATE audit_head SET last_seq = 120, last_hash = $1")
          .execute(Tuple.of(Buffer.buffer(previous)))
          .await()
          .indefinitely();

      v8.query(migration(9)).execute().await().indefinitely();
      PgAuditStore migrated = new PgAuditStore(v8);
      assertEquals(
          List.of(1L),
          migrated.heads().await().indefinitely().stream().map(ChainHead::chainId).toList());
      ChainVerifier.Report report = verifyChain(migrated, 1);
      assertTrue(report.ok(), report.findings().toString());
      assertEquals(120, report.records());
      assertEquals(2, report.checkpoints());

      // The group commit also records keys' last uses (V12): the writer needs that table.
      v8.query(migration(12)).execute().await().indefinitely();
      PgAuditLog writer = writer(v8);
      try {
        assertEquals(1, writer.chainId(), "the first writer after the upgrade continues chain 1");
        for (int i = 0; i < 60; i++) {
          writer.append(AuditRecord.of(AuditScaleTest.event(i))).await().indefinitely();
        }
      } finally {
        writer.release(Duration.ofSeconds(10));
      }
      ChainVerifier.Report after = verifyChain(migrated, 1);
      assertTrue(after.ok(), after.findings().toString());
      assertEquals(180, after.records());
      assertEquals(3, after.checkpoints());
    } finally {
      v8.close().await().indefinitely();
      pool.query("DROP SCHEMA IF EXISTS audit_v8 CASCADE").execute().await().indefinitely();
    }
  }

  private ChainVerifier.Report verifyChain(AuditStore s, long chain) {
    ChainHead head = head(s, chain);
    ChainVerifier v =
        new ChainVerifier(
            hash,
            c -> signer.verify(c, signer.current().publicKeyDer()),
            chain,
            1,
            hash.genesis(chain),
            s.checkpoints(chain, 1, Long.MAX_VALUE).await().indefinitely());
    s.records(chain, 1, Long.MAX_VALUE, 100_000)
        .await()
        .indefinitely()
        .forEach(r -> v.accept(r.seq(), r.hash(), r.canonical()));
    return v.finish(head.lastSeq(), head);
  }

  private PgAuditLog writer(Pool on) {
    return writers.start(on);
  }

  private static ChainHead head(AuditStore s, long chain) {
    return AuditWriters.head(s, chain);
  }

  private void sql(String statement, Object... params) {
    pool.preparedQuery(statement).execute(Tuple.from(params)).await().indefinitely();
  }

  private static String migration(int version) throws Exception {
    String index;
    try (InputStream in = AuditChainsTest.class.getResourceAsStream("/db/migration/index.txt")) {
      index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String script =
        index.lines().filter(l -> l.startsWith("V" + version + "__")).findFirst().orElseThrow();
    try (InputStream in = AuditChainsTest.class.getResourceAsStream("/db/migration/" + script)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
