package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.audit.AuditEvent;
import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.operation.port.AccessKeyRepository.StoredAccessKey;
import dev.keyhaven.kms.operation.port.KeyMaterialWrapping;
import dev.keyhaven.kms.operation.port.MaterialFingerprint;
import dev.keyhaven.kms.operation.port.RootOfTrust;
import dev.keyhaven.kms.operation.port.RootOfTrust.StoredRoot;
import dev.keyhaven.kms.operation.port.RowBinding;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * {@code ./kms root-key migrate}: moves everything the root key protects from the database's root
 * (the stored one) to the configured one — a secret root into the HSM, or back
 * (docs/key-hierarchy.md, "Moving the root").
 *
 * <p>What the root key protects, and what happens to each:
 *
 * <ul>
 *   <li>material versions ({@code key_material.wrapped}): re-wrapped, key id and version bound as
 *       before;
 *   <li>sealed service secrets: access-key secrets ({@code access_key}) and audit signing keys
 *       ({@code audit_signing_key}): re-sealed under their purpose;
 *   <li>derived HMAC keys: identity-policy and grant row bindings ({@code mac}) are recomputed
 *       where the row verifies under the source root — a row changed outside Keyhaven stays
 *       refused; import fingerprints ({@code kms_key}, {@code key_material}) are recomputed from
 *       the material or public key. A version whose imported symmetric/HMAC material is deleted
 *       (only its fingerprint is kept) cannot be recomputed: the migration refuses to start while
 *       one exists, naming its key;
 *   <li>import tokens are not stored (the caller holds them, valid 24 hours): one issued before the
 *       migration no longer opens, and ImportKeyMaterial refuses it like any invalid token;
 *   <li>the audit trail's hash chains are unkeyed and its signatures verify with stored public
 *       keys: unchanged. Ciphertexts are under material, which does not change: unchanged.
 * </ul>
 *
 * <p>Resumable: the target root is stored first ({@code root_key_check.target_*}); each batch
 * commits on its own and every value is tried under the target before the source, so a run killed
 * at any point is finished by running it again, which reuses the stored target. The service refuses
 * to start while a target is stored. The root record changes last, in one statement. Audited:
 * service events RootKeyMigrationStarted (or …Resumed) and RootKeyMigrationCompleted with the
 * counts, the latter durable before the root record changes.
 */
final class RootKeyMigration {
  private static final Logger LOG = Logger.getLogger(RootKeyMigration.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** What a run changed (a resumed run counts only what was left). */
  record Counts(
      int materialVersions, int secrets, int bindings, int fingerprints, int bindingsLeftRefused) {}

  private final Pool pool;
  private final RowBinding binding;
  private final KeyMaterialWrapping wrapping;
  private final MaterialFingerprint fingerprint;
  private final RootOfTrust root;
  private final PgAuditLog audit;
  private final String accountId;
  private final String region;
  private final int batchSize;

  /** Called after each committed batch with the batch's number (tests stop a run there). */
  private final IntConsumer afterBatch;

  private int batches;
  private int material;
  private int secrets;
  private int bindings;
  private int fingerprints;
  private int leftRefused;

  RootKeyMigration(
      Pool pool,
      RowBinding binding,
      KeyMaterialWrapping wrapping,
      MaterialFingerprint fingerprint,
      RootOfTrust root,
      PgAuditLog audit,
      String accountId,
      String region,
      int batchSize,
      IntConsumer afterBatch) {
    this.pool = pool;
    this.binding = binding;
    this.wrapping = wrapping;
    this.fingerprint = fingerprint;
    this.root = root;
    this.audit = audit;
    this.accountId = accountId;
    this.region = region;
    this.batchSize = batchSize;
    this.afterBatch = afterBatch;
  }

  /** Runs or resumes the migration to the configured root; the root record changes last. */
  Counts run() {
    Row row = rootRow();
    StoredRoot source =
        new StoredRoot(
            row.getString("kind"),
            bytes(row, "check_value"),
            bytes(row, "sealed_domain_key"),
            row.getString("hsm_key_label"));
    String pendingKind = row.getString("target_kind");
    StoredRoot pending =
        pendingKind == null
            ? null
            : new StoredRoot(
                pendingKind,
                bytes(row, "target_check"),
                bytes(row, "target_sealed_domain_key"),
                row.getString("target_hsm_key_label"));
    if (pending == null) {
      refuseUnrecomputableFingerprints();
    } else if (!pending.kind().equals(root.configuredKind())) {
      throw new IllegalStateException(
          "The unfinished root-key migration moves to "
              + pending.kind()
              + ", but"
              + " kms.root-of-trust is "
              + root.configuredKind()
              + ": set KMS_ROOT_OF_TRUST="
              + pending.kind()
              + " and run it again to finish it (a migration cannot be undone"
              + " halfway; once finished, migrate back). Nothing was changed.");
    }
    StoredRoot target = root.beginMigration(source, pending);
    if (pending == null) {
      int stored =
          pool.preparedQuery(
                  "UPDATE root_key_check SET target_kind = $1, target_check = $2,"
                      + " target_sealed_domain_key = $3, target_hsm_key_label = $4,"
                      + " migration_started_at = $5 WHERE id = 1 AND target_kind IS NULL")
              .execute(
                  Tuple.tuple()
                      .addValue(target.kind())
                      .addValue(Buffer.buffer(target.check()))
                      .addValue(
                          target.sealedDomainKey() == null
                              ? null
                              : Buffer.buffer(target.sealedDomainKey()))
                      .addValue(target.hsmKeyLabel())
                      .addValue(OffsetDateTime.now()))
              .await()
              .atMost(TIMEOUT)
              .rowCount();
      if (stored != 1) {
        throw new IllegalStateException("another root-key migration started at the same time");
      }
    }
    // The audit signing keys first: the audit writer needs its key under the target root.
    eachRow(
        "SELECT key_id, wrapped_private FROM audit_signing_key WHERE key_id > $1 ORDER BY key_id LIMIT $2",
        (conn, r) ->
            reseal(
                conn,
                "audit_signing_key",
                "wrapped_private",
                "key_id",
                r.getString(0),
                "audit-signing-key:" + r.getString(0),
                bytes(r, "wrapped_private")));
    audit.start(TIMEOUT, false);
    event(
        pending == null ? "RootKeyMigrationStarted" : "RootKeyMigrationResumed",
        source.kind(),
        target,
        null);

    moveAll();
    Counts counts = new Counts(material, secrets, bindings, fingerprints, leftRefused);
    // A second pass must find nothing left under the source root: a value it moves was written
    // during the first pass, i.e. the service is still running (it must be stopped).
    int refusedBefore = leftRefused;
    moveAll();
    int late =
        material
            + secrets
            + bindings
            + fingerprints
            - (counts.materialVersions()
                + counts.secrets()
                + counts.bindings()
                + counts.fingerprints());
    if (late > 0) {
      throw new IllegalStateException(
          late
              + " value(s) were written under the source root while the migration ran: is the"
              + " service still running? Stop every instance and run ./kms root-key migrate again"
              + " to finish (the root has not changed yet).");
    }
    leftRefused = refusedBefore;
    event("RootKeyMigrationCompleted", source.kind(), target, counts);
    pool.query(
            "UPDATE root_key_check SET kind = target_kind, check_value = target_check,"
                + " sealed_domain_key = target_sealed_domain_key,"
                + " hsm_key_label = target_hsm_key_label, created_at = now(), target_kind = NULL,"
                + " target_check = NULL, target_sealed_domain_key = NULL,"
                + " target_hsm_key_label = NULL, migration_started_at = NULL WHERE id = 1")
        .execute()
        .await()
        .atMost(TIMEOUT);
    root.endMigration();
    LOG.infof(
        "root-key migration from %s to %s complete: %s", source.kind(), target.kind(), counts);
    return counts;
  }

  /** Moves every key's material and fingerprints, access keys and row bindings to the target. */
  private void moveAll() {
    eachRow(
        "SELECT key_id::text FROM kms_key WHERE key_id::text > $1 ORDER BY key_id::text LIMIT $2",
        (conn, r) -> migrateKey(conn, UUID.fromString(r.getString(0))));
    eachRow(
        "SELECT access_key_id, account_id, principal_arn, wrapped_secret FROM access_key"
            + " WHERE access_key_id > $1 ORDER BY access_key_id LIMIT $2",
        (conn, r) ->
            reseal(
                conn,
                "access_key",
                "wrapped_secret",
                "access_key_id",
                r.getString(0),
                StoredAccessKey.purpose(r.getString(0), r.getString(1), r.getString(2)),
                bytes(r, "wrapped_secret")));
    eachRow(
        "SELECT principal_arn, account_id, policy, mac FROM principal_policy"
            + " WHERE principal_arn > $1 ORDER BY principal_arn LIMIT $2",
        (conn, r) ->
            rebind(
                conn,
                "principal_policy",
                "principal_arn",
                bytes(r, "mac"),
                PrincipalPolicyBinding.PURPOSE,
                r.getString(0),
                r.getString(1),
                r.getString(2)));
    eachRow(
        "SELECT "
            + GrantBinding.COLUMNS
            + ", mac FROM kms_grant WHERE grant_id > $1"
            + " ORDER BY grant_id LIMIT $2",
        (conn, r) -> {
          String[] fields = new String[10];
          for (int i = 0; i < fields.length; i++) {
            fields[i] = r.getString(i);
          }
          rebind(conn, "kms_grant", "grant_id", bytes(r, "mac"), GrantBinding.PURPOSE, fields);
        });
  }

  private Row rootRow() {
    var rows =
        pool.query("SELECT * FROM root_key_check WHERE id = 1").execute().await().atMost(TIMEOUT);
    if (rows.size() == 0) {
      throw new IllegalStateException(
          "This database has no root yet: start the service once first. Nothing was changed.");
    }
    return rows.iterator().next();
  }

  /**
   * Imported symmetric or HMAC material that was deleted keeps only its fingerprint, which is keyed
   * by the root and cannot be recomputed without the material.
   */
  private void refuseUnrecomputableFingerprints() {
    var rows =
        pool.query(
                "SELECT DISTINCT key_id::text FROM key_material WHERE import_fingerprint IS NOT NULL"
                    + " AND wrapped IS NULL AND public_key IS NULL ORDER BY 1 LIMIT 20")
            .execute()
            .await()
            .atMost(TIMEOUT);
    if (rows.size() > 0) {
      List<String> keys = new ArrayList<>();
      rows.forEach(r -> keys.add(r.getString(0)));
      throw new IllegalStateException(
          "Cannot migrate the root key: imported key material of "
              + keys
              + " was deleted, and"
              + " its fingerprint (keyed by the root key) cannot be recomputed without it. Import"
              + " that material again (or delete those keys) first. Nothing was changed.");
    }
  }

  /** One row's work on the batch's connection. */
  private interface RowStep {
    void apply(SqlConnection conn, Row row);
  }

  /**
   * Runs {@code step} over every row of {@code select} (keyset pages: $1 the last key, $2 the page
   * size), each page in its own transaction.
   */
  private void eachRow(String select, RowStep step) {
    String after = "";
    while (true) {
      SqlConnection conn = pool.getConnection().await().atMost(TIMEOUT);
      try {
        Transaction tx = conn.begin().await().atMost(TIMEOUT);
        var rows =
            conn.preparedQuery(select).execute(Tuple.of(after, batchSize)).await().atMost(TIMEOUT);
        try {
          for (Row r : rows) {
            step.apply(conn, r);
            after = r.getString(0);
          }
        } catch (RuntimeException e) {
          tx.rollback().await().atMost(TIMEOUT);
          throw e;
        }
        tx.commit().await().atMost(TIMEOUT);
        if (rows.size() > 0) {
          afterBatch.accept(++batches);
        }
        if (rows.size() < batchSize) {
          return;
        }
      } finally {
        conn.close().await().atMost(TIMEOUT);
      }
    }
  }

  private void reseal(
      SqlConnection conn,
      String table,
      String column,
      String idColumn,
      String id,
      String purpose,
      byte[] sealed) {
    byte[] moved = root.rewrapSecret(purpose, sealed);
    if (moved != null) {
      update(conn, table, column, idColumn, id, moved);
      secrets++;
    }
  }

  private void rebind(
      SqlConnection conn,
      String table,
      String idColumn,
      byte[] mac,
      String purpose,
      String... fields) {
    if (mac == null || binding.matchesBindingMac(mac, purpose, fields)) {
      return;
    }
    byte[] moved = root.rebind(mac, purpose, fields);
    if (moved == null) {
      leftRefused++;
      LOG.warnf(
          "%s row %s does not verify under the source root: left as it was (still refused)",
          table, fields[0]);
      return;
    }
    update(conn, table, "mac", idColumn, fields[0], moved);
    bindings++;
  }

  private static void update(
      SqlConnection conn, String table, String column, String idColumn, String id, byte[] value) {
    conn.preparedQuery("UPDATE " + table + " SET " + column + " = $1 WHERE " + idColumn + " = $2")
        .execute(Tuple.of(Buffer.buffer(value), id))
        .await()
        .atMost(TIMEOUT);
  }

  /** A key's material versions re-wrapped, then its import fingerprints recomputed. */
  private void migrateKey(SqlConnection conn, UUID keyId) {
    var versions =
        conn.preparedQuery(
                "SELECT version, key_material_id, wrapped, public_key, import_fingerprint"
                    + " FROM key_material WHERE key_id = $1 ORDER BY version")
            .execute(Tuple.of(keyId))
            .await()
            .atMost(TIMEOUT);
    Map<String, String> renamed = new LinkedHashMap<>(); // source fingerprint → target fingerprint
    for (Row v : versions) {
      int version = v.getInteger(0);
      byte[] wrapped = bytes(v, "wrapped");
      if (wrapped != null) {
        byte[] moved = root.rewrapMaterial(keyId, version, wrapped);
        if (moved != null) {
          conn.preparedQuery(
                  "UPDATE key_material SET wrapped = $1 WHERE key_id = $2 AND version = $3")
              .execute(Tuple.of(Buffer.buffer(moved), keyId, version))
              .await()
              .atMost(TIMEOUT);
          wrapped = moved;
          material++;
        }
      }
      String stored = v.getString(4);
      if (stored == null) {
        continue;
      }
      byte[] publicKey = bytes(v, "public_key");
      SecretBytes plain =
          publicKey != null
              ? SecretBytes.adopt(publicKey)
              : wrapping.unwrap(keyId, new WrappedKeyMaterial(version, v.getString(1), wrapped));
      try {
        String target = fingerprint.fingerprint(keyId, plain.exposeForCrypto());
        String source = root.sourceFingerprint(keyId, plain.exposeForCrypto());
        renamed.put(source, target);
        if (stored.equals(source)) {
          conn.preparedQuery(
                  "UPDATE key_material SET import_fingerprint = $1 WHERE key_id = $2 AND version = $3")
              .execute(Tuple.of(target, keyId, version))
              .await()
              .atMost(TIMEOUT);
          fingerprints++;
        }
      } finally {
        if (publicKey == null) {
          plain.wipe();
        }
      }
    }
    var key =
        conn.preparedQuery("SELECT import_fingerprint FROM kms_key WHERE key_id = $1")
            .execute(Tuple.of(keyId))
            .await()
            .atMost(TIMEOUT);
    String keyFingerprint = key.size() == 0 ? null : key.iterator().next().getString(0);
    if (keyFingerprint != null && renamed.containsKey(keyFingerprint)) {
      conn.preparedQuery("UPDATE kms_key SET import_fingerprint = $1 WHERE key_id = $2")
          .execute(Tuple.of(renamed.get(keyFingerprint), keyId))
          .await()
          .atMost(TIMEOUT);
      fingerprints++;
    }
  }

  /** A service event (no key: the whole service's root), durable before the caller goes on. */
  private void event(String name, String from, StoredRoot target, Counts counts) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rootOfTrustFrom", from);
    details.put("rootOfTrustTo", target.kind());
    if (target.hsmKeyLabel() != null) {
      details.put("hsmKeyLabel", target.hsmKeyLabel());
    }
    if (counts != null) {
      details.put("materialVersionsRewrapped", counts.materialVersions());
      details.put("secretsResealed", counts.secrets());
      details.put("rowBindingsRecomputed", counts.bindings());
      details.put("importFingerprintsRecomputed", counts.fingerprints());
      details.put("rowBindingsLeftRefused", counts.bindingsLeftRefused());
    }
    AuditEvent event =
        new AuditEvent(
            AuditEvent.UserIdentity.service(accountId),
            Instant.now(),
            name,
            region,
            "AWS Internal",
            "AWS Internal",
            null,
            null,
            null,
            null,
            details,
            null,
            UUID.randomUUID().toString(),
            false,
            List.of(),
            AuditEvent.SERVICE_EVENT,
            accountId);
    audit.append(AuditRecord.of(event)).await().atMost(TIMEOUT);
  }

  private static byte[] bytes(Row row, String column) {
    var buffer = row.getBuffer(column);
    return buffer == null ? null : buffer.getBytes();
  }
}
