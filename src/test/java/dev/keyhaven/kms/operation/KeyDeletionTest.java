package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.operation.port.KeyMaterialWrapping;
import dev.keyhaven.kms.support.KmsApi;
import dev.keyhaven.kms.support.Maintenance;
import dev.keyhaven.kms.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deletion at the end of the waiting period (AWS KMS Developer Guide, "Deleting AWS KMS keys";
 * Cryptographic Details, "Key deletion"): usable per the key-state table until then; afterwards the
 * maintenance job deletes the key with every material version, alias and grant, so its ciphertexts
 * never decrypt again and no copy of its material — wrapped or plain — is left in any table.
 */
@QuarkusTest
class KeyDeletionTest {
  private final KmsApi kms = KmsApi.newAccount();

  @Inject TestClock clock;
  @Inject KeyMaintenance job;
  @Inject Pool pool;
  @Inject KeyMaterialWrapping crypto;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void deletion_sevenDayWindowPassed_keyAndAllItsMaterialAreGone() throws IOException {
    String keyId = kms.createKey();
    String arn = kms.arnOf(keyId);
    String alias = "alias/deleted-" + keyId;
    kms.call("CreateAlias", Map.of("AliasName", alias, "TargetKeyId", keyId)).statusCode(200);
    kms.call(
            "CreateGrant",
            Map.of(
                "KeyId",
                keyId,
                "GranteePrincipal",
                "arn:aws:iam::" + kms.accountId() + ":role/Reader",
                "Operations",
                List.of("Decrypt")))
        .statusCode(200);
    List<String> ciphertexts = new ArrayList<>();
    ciphertexts.add(encrypt(keyId));
    kms.call("RotateKeyOnDemand", Map.of("KeyId", keyId)).statusCode(200);
    ciphertexts.add(encrypt(keyId));
    List<byte[]> secrets = materialOf(UUID.fromString(keyId));
    assertEquals(4, secrets.size(), "two versions, each wrapped and plain");
    // A key that stays: the scans below must find its wrapped material (they can see).
    byte[] survivor = materialOf(UUID.fromString(kms.createKey())).get(0);

    kms.call("ScheduleKeyDeletion", Map.of("KeyId", keyId, "PendingWindowInDays", 7))
        .statusCode(200);
    // Before the window ends: the key-state table's PendingDeletion column.
    clock.advance(Duration.ofDays(7).minusMinutes(1));
    Maintenance.drain(job);
    kms.call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyMetadata.KeyState", equalTo("PendingDeletion"));
    kms.call("Decrypt", Map.of("CiphertextBlob", ciphertexts.get(0)))
        .statusCode(400)
        .body("__type", equalTo("KMSInvalidStateException"))
        .body("message", equalTo(arn + " is pending deletion."));

    clock.advance(Duration.ofMinutes(2));
    Maintenance.drain(job);

    kms.call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"))
        .body("message", equalTo("Key '" + arn + "' does not exist"));
    kms.callAdmin("LookupEvents", Map.of("KeyId", keyId, "EventName", "DeleteKey"))
        .statusCode(200)
        .body("Events", org.hamcrest.Matchers.hasSize(1))
        .body("Events[0].Username", org.hamcrest.Matchers.nullValue());
    for (String ciphertext : ciphertexts) {
      kms.call("Decrypt", Map.of("CiphertextBlob", ciphertext))
          .statusCode(400)
          .body("__type", equalTo("AccessDeniedException"));
    }
    kms.call("ListAliases", Map.of())
        .statusCode(200)
        .body("Aliases.AliasName", not(hasItem(alias)));
    kms.call("ListGrants", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
    assertEquals(0L, count("SELECT count(*) FROM kms_grant WHERE key_id = $1", keyId));
    assertEquals(0L, count("SELECT count(*) FROM key_material WHERE key_id = $1", keyId));
    assertNull(crypto.cachedMaterial(UUID.fromString(keyId), 1));
    assertNull(crypto.cachedMaterial(UUID.fromString(keyId), 2));

    // Every row of every table, in PostgreSQL's text form (bytea as hex): no wrapped or plain
    // material, in hex or base64.
    List<String> needles = new ArrayList<>();
    for (byte[] secret : secrets) {
      needles.add(HexFormat.of().formatHex(secret));
      needles.add(Base64.getEncoder().encodeToString(secret));
    }
    String survivorHex = HexFormat.of().formatHex(survivor);
    boolean survivorSeen = false;
    for (String table : tables()) {
      for (Row row :
          pool.query("SELECT t::text FROM " + table + " t").execute().await().indefinitely()) {
        String text = row.getString(0);
        survivorSeen |= text.contains(survivorHex);
        for (String needle : needles) {
          assertTrue(!text.contains(needle), () -> "material of the deleted key found in " + table);
        }
      }
    }
    assertTrue(survivorSeen, "the table scan sees stored material");
    // The table files themselves: deleted rows stay in the heap as dead tuples until VACUUM
    // (docs/rotation.md); VACUUM FULL rewrites key_material without them.
    pool.query("VACUUM FULL key_material").execute().await().indefinitely();
    pool.query("CHECKPOINT").execute().await().indefinitely();
    byte[] heap = Files.readAllBytes(relationFile("key_material"));
    assertTrue(indexOf(heap, survivor) >= 0, "the file scan sees stored material");
    for (byte[] secret : secrets) {
      assertEquals(
          -1, indexOf(heap, secret), "material of the deleted key in the key_material file");
    }
  }

  @Test
  void deletion_cancelledBeforeWindowEnds_keyStays() {
    String keyId = kms.createKey();
    String ciphertext = encrypt(keyId);
    kms.call("ScheduleKeyDeletion", Map.of("KeyId", keyId, "PendingWindowInDays", 7))
        .statusCode(200);
    clock.advance(Duration.ofDays(3));
    kms.call("CancelKeyDeletion", Map.of("KeyId", keyId)).statusCode(200);
    clock.advance(Duration.ofDays(30));
    Maintenance.drain(job);
    kms.call("EnableKey", Map.of("KeyId", keyId)).statusCode(200);
    kms.call("Decrypt", Map.of("CiphertextBlob", ciphertext)).statusCode(200);
  }

  private String encrypt(String keyId) {
    return kms.call(
            "Encrypt", Map.of("KeyId", keyId, "Plaintext", KmsApi.b64(new byte[] {1, 2, 3})))
        .statusCode(200)
        .extract()
        .path("CiphertextBlob");
  }

  /** Each version's wrapped bytes as stored and its plaintext material (unwrapped for the scan). */
  private List<byte[]> materialOf(UUID keyId) {
    List<byte[]> found = new ArrayList<>();
    var rows =
        pool.preparedQuery(
                "SELECT version, key_material_id, wrapped FROM key_material WHERE key_id = $1")
            .execute(Tuple.of(keyId))
            .await()
            .indefinitely();
    for (Row row : rows) {
      byte[] wrapped = row.getBuffer(2).getBytes();
      SecretBytes plain =
          crypto.unwrap(
              keyId, new WrappedKeyMaterial(row.getInteger(0), row.getString(1), wrapped));
      found.add(wrapped);
      found.add(plain.exposeForCrypto().clone());
      plain.wipe();
    }
    return found;
  }

  private List<String> tables() {
    List<String> names = new ArrayList<>();
    for (Row row :
        pool.query(
                "SELECT quote_ident(table_name) FROM information_schema.tables"
                    + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
            .execute()
            .await()
            .indefinitely()) {
      names.add(row.getString(0));
    }
    assertTrue(names.contains("key_material") && names.contains("kms_key"), names::toString);
    return names;
  }

  /** The data file of a table in the embedded cluster of the tests (src/local). */
  private Path relationFile(String table) {
    String relative =
        pool.query("SELECT pg_relation_filepath('" + table + "')")
            .execute()
            .await()
            .indefinitely()
            .iterator()
            .next()
            .getString(0);
    return Path.of(System.getProperty("keyhaven.test.data-dir"), "pg", relative);
  }

  private long count(String sql, String keyId) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(UUID.fromString(keyId)))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }

  /** Where {@code needle} starts in {@code haystack}, or -1 (bytes as ISO-8859-1 chars, 1:1). */
  private static int indexOf(byte[] haystack, byte[] needle) {
    return new String(haystack, StandardCharsets.ISO_8859_1)
        .indexOf(new String(needle, StandardCharsets.ISO_8859_1));
  }
}
