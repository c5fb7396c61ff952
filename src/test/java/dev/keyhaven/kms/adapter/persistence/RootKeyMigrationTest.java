package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.adapter.fips.FipsKeyMaterialCrypto;
import dev.keyhaven.kms.adapter.persistence.RootFixtures.FreshDatabase;
import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.audit.ChainHash;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.operation.port.AccessKeyRepository.StoredAccessKey;
import dev.keyhaven.kms.operation.port.AuditEcho;
import dev.keyhaven.kms.operation.port.AuditSigner;
import dev.keyhaven.kms.operation.port.RootOfTrust;
import dev.keyhaven.kms.operation.port.SecretWrapping;
import dev.keyhaven.kms.operation.port.ServiceMetrics;
import dev.keyhaven.kms.support.SoftHsm;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * {@link RootKeyMigration} on a fresh schema holding one of everything the root key protects:
 * secret → HSM, killed after a few batches and run again, then HSM → another secret. After each
 * move every material version, sealed secret, row binding and import fingerprint works under the
 * new root only; a row changed outside Keyhaven stays refused; the service refuses to start while a
 * migration is unfinished; the trail has the service events. Deleted imported material blocks a
 * migration before anything changes.
 */
@QuarkusTest
class RootKeyMigrationTest {
  private static final String ACCOUNT = "123456789012";

  @Inject Pool pool;
  @Inject KmsConfig config;
  @Inject AuditWriters writers;
  @Inject Vertx vertx;
  @Inject HotState hot;
  @Inject Mutiny.SessionFactory sessions;
  @Inject ChainHash hash;

  /** What the database holds, as plaintext, to check after each move. */
  record Fixture(
      UUID keyId,
      SecretBytes material,
      SecretBytes imported,
      byte[] publicKey,
      String accessKeyId,
      byte[] accessSecret,
      String goodPolicyArn,
      String tamperedPolicyArn,
      String grantId) {}

  @Test
  void secretToHsm_killedAndRerun_thenBackToAnotherSecret() throws Exception {
    try (FreshDatabase fresh = freshDatabase()) {
      Pool db = fresh.pool();
      FipsKeyMaterialCrypto secretA = crypto(name -> null);
      DatabaseStartup.checkRootKey(db, (RootOfTrust) secretA);
      Fixture f = populate(db, secretA);
      startAndRelease(db, secretA); // the audit signing key, sealed under A

      // secret → HSM, the process "killed" after its third committed batch.
      Function<String, Object> toHsm = hsm(SoftHsm.C, "migration-root", null);
      FipsKeyMaterialCrypto hsm1 = crypto(toHsm);
      IntConsumer killAt3 =
          n -> {
            if (n == 3) throw new Killed();
          };
      assertThrows(Killed.class, () -> migration(db, hsm1, killAt3).run());
      assertEquals("pkcs11", DatabaseStartup.read(db).targetKind());
      IllegalStateException unfinished =
          assertThrows(
              IllegalStateException.class,
              () -> DatabaseStartup.checkRootKey(db, (RootOfTrust) crypto(name -> null)));
      assertTrue(
          unfinished
              .getMessage()
              .startsWith("A root-key migration from secret to pkcs11 is unfinished"),
          unfinished.getMessage());

      String secretB = Base64.getEncoder().encodeToString(secretA.randomBytes(32));
      Function<String, Object> toSecret = hsm(SoftHsm.C, "migration-root", secretB);
      IllegalStateException otherWay =
          assertThrows(
              IllegalStateException.class, () -> migration(db, crypto(toSecret), n -> {}).run());
      assertTrue(
          otherWay.getMessage().startsWith("The unfinished root-key migration moves to pkcs11"),
          otherWay.getMessage());
      assertEquals("pkcs11", DatabaseStartup.read(db).targetKind());

      FipsKeyMaterialCrypto hsm2 = crypto(toHsm); // a new process
      RootKeyMigration.Counts resumed = migration(db, hsm2, n -> {}).run();
      assertEquals(1, resumed.bindingsLeftRefused(), "the tampered identity policy");
      DatabaseStartup.StoredRootRow afterHsm = DatabaseStartup.read(db);
      assertEquals("pkcs11", afterHsm.root().kind());
      assertNull(afterHsm.targetKind());
      assertEquals("migration-root", afterHsm.root().hsmKeyLabel());

      FipsKeyMaterialCrypto hsmRestart = crypto(toHsm);
      DatabaseStartup.checkRootKey(db, (RootOfTrust) hsmRestart);
      assertEverythingOpens(db, hsmRestart, f);
      IllegalStateException oldSecret =
          assertThrows(
              IllegalStateException.class,
              () -> DatabaseStartup.checkRootKey(db, (RootOfTrust) crypto(name -> null)));
      assertTrue(
          oldSecret.getMessage().startsWith("This database's root of trust is an HSM"),
          oldSecret.getMessage());
      assertThrows(
          IllegalStateException.class,
          () -> secretA.unwrap(f.keyId(), wrapped(db, f.keyId(), 1)),
          "the old secret opens nothing any more");

      // HSM → another secret root key B.
      RootKeyMigration.Counts back = migration(db, crypto(toSecret), n -> {}).run();
      assertEquals(2 + 1, back.materialVersions(), "the key's two versions and the key pair's");
      assertEquals("secret", DatabaseStartup.read(db).root().kind());
      FipsKeyMaterialCrypto secretRestart = crypto(toSecret);
      DatabaseStartup.checkRootKey(db, (RootOfTrust) secretRestart);
      assertEverythingOpens(db, secretRestart, f);

      List<String> events = events(db);
      assertEquals(
          List.of(
              "RootKeyMigrationStarted",
              "RootKeyMigrationResumed",
              "RootKeyMigrationCompleted",
              "RootKeyMigrationStarted",
              "RootKeyMigrationCompleted"),
          events);
    }
  }

  @Test
  void aValueWrittenUnderTheSourceDuringTheRun_refusesToSwap_rerunFinishes() throws Exception {
    try (FreshDatabase fresh = freshDatabase()) {
      Pool db = fresh.pool();
      FipsKeyMaterialCrypto secretA = crypto(name -> null);
      DatabaseStartup.checkRootKey(db, (RootOfTrust) secretA);
      populate(db, secretA);
      startAndRelease(db, secretA);
      // A server still running on the old root creates a key while the first pass runs, behind
      // the pass's position (its id sorts first; the pass is in its second page of keys).
      UUID late =
          UUID.fromString("00000000-0000-4000-8000-" + UUID.randomUUID().toString().substring(24));
      SecretBytes lateMaterial = secretA.newSymmetricMaterial();
      boolean[] written = {false};
      IntConsumer runningServer =
          n -> {
            if (n == 3 && !written[0]) {
              written[0] = true;
              insertKey(db, late, null);
              insertMaterial(db, secretA, late, 1, lateMaterial, null, null);
            }
          };
      Function<String, Object> toHsm = hsm(SoftHsm.C, "migration-running", null);
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> migration(db, crypto(toHsm), runningServer).run());
      assertTrue(e.getMessage().contains("is the service still running?"), e.getMessage());
      assertEquals("secret", DatabaseStartup.read(db).root().kind(), "the root has not changed");
      assertEquals("pkcs11", DatabaseStartup.read(db).targetKind());

      migration(db, crypto(toHsm), n -> {}).run();
      FipsKeyMaterialCrypto hsm = crypto(toHsm);
      DatabaseStartup.checkRootKey(db, (RootOfTrust) hsm);
      assertArrayEquals(
          lateMaterial.exposeForCrypto(), hsm.unwrap(late, wrapped(db, late, 1)).exposeForCrypto());
    }
  }

  @Test
  void deletedImportedMaterial_refusesBeforeChangingAnything() throws Exception {
    try (FreshDatabase fresh = freshDatabase()) {
      Pool db = fresh.pool();
      FipsKeyMaterialCrypto secretA = crypto(name -> null);
      DatabaseStartup.checkRootKey(db, (RootOfTrust) secretA);
      UUID keyId = insertKey(db, "ab".repeat(32));
      db.preparedQuery(
              "INSERT INTO key_material (key_material_id, key_id, version, wrapped, created_at, import_fingerprint)"
                  + " VALUES ($1, $2, 1, NULL, now(), $3)")
          .execute(Tuple.of("deleted-" + keyId, keyId, "ab".repeat(32)))
          .await()
          .indefinitely();
      DatabaseStartup.StoredRootRow before = DatabaseStartup.read(db);
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  migration(db, crypto(hsm(SoftHsm.C, "migration-refused", null)), n -> {}).run());
      assertTrue(
          e.getMessage().contains("imported key material of [" + keyId + "] was deleted"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());
      DatabaseStartup.StoredRootRow after = DatabaseStartup.read(db);
      assertNull(after.targetKind());
      assertArrayEquals(before.root().check(), after.root().check());
      assertEquals(List.of(), events(db));
    }
  }

  /** Thrown from a batch callback: the process dies between two committed batches. */
  static final class Killed extends RuntimeException {}

  private Fixture populate(Pool db, FipsKeyMaterialCrypto crypto) {
    // A key with two material versions, the second imported (a fingerprint of its material).
    SecretBytes material = crypto.newSymmetricMaterial();
    SecretBytes imported = crypto.newSymmetricMaterial();
    UUID keyId = UUID.randomUUID();
    String fingerprint = crypto.fingerprint(keyId, imported.exposeForCrypto());
    insertKey(db, keyId, fingerprint);
    insertMaterial(db, crypto, keyId, 1, material, null, null);
    insertMaterial(db, crypto, keyId, 2, imported, null, fingerprint);
    // An imported key pair: its fingerprint is over the public key.
    UUID pairId = UUID.randomUUID();
    byte[] publicKey = crypto.randomBytes(91);
    String pairFingerprint = crypto.fingerprint(pairId, publicKey);
    insertKey(db, pairId, pairFingerprint);
    insertMaterial(
        db, crypto, pairId, 1, crypto.newSymmetricMaterial(), publicKey, pairFingerprint);
    // An access key, two identity policies (one changed behind Keyhaven's back), a grant.
    String accessKeyId =
        "KHIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    String principal = "arn:aws:iam::" + ACCOUNT + ":role/App";
    byte[] secret = crypto.randomBytes(30);
    db.preparedQuery(
            "INSERT INTO access_key (access_key_id, account_id, principal_arn, wrapped_secret, create_date)"
                + " VALUES ($1, $2, $3, $4, now())")
        .execute(
            Tuple.of(
                accessKeyId,
                ACCOUNT,
                principal,
                Buffer.buffer(
                    crypto.wrapSecret(
                        StoredAccessKey.purpose(accessKeyId, ACCOUNT, principal),
                        SecretBytes.adopt(secret.clone())))))
        .await()
        .indefinitely();
    String good = principal;
    String tampered = "arn:aws:iam::" + ACCOUNT + ":role/Tampered";
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
    insertPolicy(db, good, policy, PrincipalPolicyBinding.mac(crypto, good, ACCOUNT, policy));
    insertPolicy(
        db, tampered, policy + " ", PrincipalPolicyBinding.mac(crypto, tampered, ACCOUNT, policy));
    String grantId = "g" + UUID.randomUUID().toString().replace("-", "");
    db.preparedQuery(
            "INSERT INTO kms_grant (grant_id, key_id, key_arn, creation_date, grantee, issuing_account, operations)"
                + " VALUES ($1, $2, $3, now(), $4, $5, 'Encrypt')")
        .execute(Tuple.of(grantId, keyId, arn(keyId), principal, ACCOUNT))
        .await()
        .indefinitely();
    String[] fields = grantFields(db, grantId);
    db.preparedQuery("UPDATE kms_grant SET mac = $1 WHERE grant_id = $2")
        .execute(Tuple.of(Buffer.buffer(crypto.bindingMac(GrantBinding.PURPOSE, fields)), grantId))
        .await()
        .indefinitely();
    return new Fixture(
        keyId, material, imported, publicKey, accessKeyId, secret, good, tampered, grantId);
  }

  private void assertEverythingOpens(Pool db, FipsKeyMaterialCrypto crypto, Fixture f) {
    assertArrayEquals(
        f.material().exposeForCrypto(),
        crypto.unwrap(f.keyId(), wrapped(db, f.keyId(), 1)).exposeForCrypto());
    assertArrayEquals(
        f.imported().exposeForCrypto(),
        crypto.unwrap(f.keyId(), wrapped(db, f.keyId(), 2)).exposeForCrypto());
    String fingerprint = crypto.fingerprint(f.keyId(), f.imported().exposeForCrypto());
    assertEquals(
        fingerprint,
        string(db, "SELECT import_fingerprint FROM kms_key WHERE key_id = $1", f.keyId()));
    assertEquals(
        fingerprint,
        string(
            db,
            "SELECT import_fingerprint FROM key_material WHERE key_id = $1 AND version = 2",
            f.keyId()));
    var access =
        db.preparedQuery(
                "SELECT account_id, principal_arn, wrapped_secret FROM access_key WHERE access_key_id = $1")
            .execute(Tuple.of(f.accessKeyId()))
            .await()
            .indefinitely()
            .iterator()
            .next();
    assertArrayEquals(
        f.accessSecret(),
        crypto
            .unwrapSecret(
                StoredAccessKey.purpose(f.accessKeyId(), access.getString(0), access.getString(1)),
                access.getBuffer(2).getBytes())
            .exposeForCrypto());
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
    assertTrue(
        crypto.matchesBindingMac(
            mac(db, "principal_policy", "principal_arn", f.goodPolicyArn()),
            PrincipalPolicyBinding.PURPOSE,
            f.goodPolicyArn(),
            ACCOUNT,
            policy));
    assertFalse(
        crypto.matchesBindingMac(
            mac(db, "principal_policy", "principal_arn", f.tamperedPolicyArn()),
            PrincipalPolicyBinding.PURPOSE,
            f.tamperedPolicyArn(),
            ACCOUNT,
            policy + " "),
        "still refused");
    assertTrue(
        crypto.matchesBindingMac(
            mac(db, "kms_grant", "grant_id", f.grantId()),
            GrantBinding.PURPOSE,
            grantFields(db, f.grantId())));
    // The audit signing key opens: a writer starts and appends.
    startAndRelease(db, crypto);
  }

  // --- rows ---

  private UUID insertKey(Pool db, String fingerprint) {
    UUID keyId = UUID.randomUUID();
    insertKey(db, keyId, fingerprint);
    return keyId;
  }

  private static void insertKey(Pool db, UUID keyId, String fingerprint) {
    db.preparedQuery(
            "INSERT INTO kms_key (key_id, account_id, region, key_spec, key_usage, origin, key_state,"
                + " description, creation_date, current_version, current_key_material_id, policy, tags, revision,"
                + " import_fingerprint) VALUES ($1, $2, 'us-east-1', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT',"
                + " 'EXTERNAL', 'Enabled', '', now(), 1, 'm', '{}', '{}', 1, $3)")
        .execute(Tuple.of(keyId, ACCOUNT, fingerprint))
        .await()
        .indefinitely();
  }

  private static void insertMaterial(
      Pool db,
      FipsKeyMaterialCrypto crypto,
      UUID keyId,
      int version,
      SecretBytes material,
      byte[] publicKey,
      String fingerprint) {
    String id = keyId + "-" + version;
    WrappedKeyMaterial wrapped = crypto.wrap(keyId, version, id, material);
    db.preparedQuery(
            "INSERT INTO key_material (key_material_id, key_id, version, wrapped, created_at, public_key,"
                + " import_fingerprint) VALUES ($1, $2, $3, $4, now(), $5, $6)")
        .execute(
            Tuple.tuple()
                .addValue(id)
                .addValue(keyId)
                .addValue(version)
                .addValue(Buffer.buffer(wrapped.wrapped()))
                .addValue(publicKey == null ? null : Buffer.buffer(publicKey))
                .addValue(fingerprint))
        .await()
        .indefinitely();
  }

  private static void insertPolicy(Pool db, String arn, String policy, byte[] mac) {
    db.preparedQuery(
            "INSERT INTO principal_policy (principal_arn, account_id, policy, update_date, mac)"
                + " VALUES ($1, $2, $3, now(), $4)")
        .execute(Tuple.of(arn, ACCOUNT, policy, Buffer.buffer(mac)))
        .await()
        .indefinitely();
  }

  private static String[] grantFields(Pool db, String grantId) {
    var row =
        db.preparedQuery("SELECT " + GrantBinding.COLUMNS + " FROM kms_grant WHERE grant_id = $1")
            .execute(Tuple.of(grantId))
            .await()
            .indefinitely()
            .iterator()
            .next();
    String[] fields = new String[10];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = row.getString(i);
    }
    return fields;
  }

  private static WrappedKeyMaterial wrapped(Pool db, UUID keyId, int version) {
    var row =
        db.preparedQuery(
                "SELECT key_material_id, wrapped FROM key_material WHERE key_id = $1 AND version = $2")
            .execute(Tuple.of(keyId, version))
            .await()
            .indefinitely()
            .iterator()
            .next();
    return new WrappedKeyMaterial(version, row.getString(0), row.getBuffer(1).getBytes());
  }

  private static String string(Pool db, String sql, Object param) {
    return db.preparedQuery(sql)
        .execute(Tuple.of(param))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getString(0);
  }

  private static byte[] mac(Pool db, String table, String idColumn, String id) {
    return db.preparedQuery("SELECT mac FROM " + table + " WHERE " + idColumn + " = $1")
        .execute(Tuple.of(id))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getBuffer(0)
        .getBytes();
  }

  private static String arn(UUID keyId) {
    return "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + keyId;
  }

  private static List<String> events(Pool db) {
    List<String> names = new ArrayList<>();
    db.query(
            "SELECT event_name FROM audit_event WHERE event_name LIKE 'RootKeyMigration%' ORDER BY event_time, chain_id, seq")
        .execute()
        .await()
        .indefinitely()
        .forEach(r -> names.add(r.getString(0)));
    return names;
  }

  // --- the migration's collaborators, built on the fresh schema and the given crypto ---

  private RootKeyMigration migration(Pool db, FipsKeyMaterialCrypto crypto, IntConsumer afterBatch)
      throws Exception {
    return new RootKeyMigration(
        db,
        crypto,
        crypto,
        crypto,
        crypto,
        auditLog(db, crypto),
        ACCOUNT,
        "us-east-1",
        1,
        afterBatch);
  }

  private PgAuditLog auditLog(Pool db, FipsKeyMaterialCrypto crypto) throws Exception {
    var constructor =
        Class.forName("dev.keyhaven.kms.adapter.fips.FipsAuditSigner")
            .getDeclaredConstructor(SecretWrapping.class);
    constructor.setAccessible(true);
    AuditSigner signer = (AuditSigner) constructor.newInstance(crypto);
    return new PgAuditLog(
        db,
        hot,
        sessions,
        signer,
        hash,
        Clock.systemUTC(),
        vertx,
        ServiceMetrics.NONE,
        config,
        AuditEcho.NONE);
  }

  private void startAndRelease(Pool db, FipsKeyMaterialCrypto crypto) {
    try {
      PgAuditLog log = auditLog(db, crypto);
      log.start(Duration.ofSeconds(60), false);
      log.release(Duration.ofSeconds(10));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private FipsKeyMaterialCrypto crypto(Function<String, Object> overrides) throws Exception {
    return RootFixtures.crypto(config, overrides);
  }

  private static Function<String, Object> hsm(String token, String label, String secret) {
    return RootFixtures.hsm(token, label, secret);
  }

  private FreshDatabase freshDatabase() {
    return FreshDatabase.create(pool, writers, vertx);
  }
}
