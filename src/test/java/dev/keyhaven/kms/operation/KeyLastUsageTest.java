package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.DatabaseEdits;
import dev.keyhaven.kms.support.KmsApi;
import dev.keyhaven.kms.support.Maintenance;
import dev.keyhaven.kms.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GetKeyLastUsage (AWS KMS API Reference, GetKeyLastUsage and KeyLastUsageData): what counts as a
 * use, the ids it names, TrackingStartDate, the KeyId forms, authorization, and that the usage row
 * is written by the audit group commit — forward in time only — and goes with the key.
 */
@QuarkusTest
class KeyLastUsageTest {
  private static final String ONE = KmsApi.b64(new byte[] {1});
  private final KmsApi kms = KmsApi.newAccount();

  @Inject Pool pool;
  @Inject TestClock clock;
  @Inject KeyMaintenance job;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  // API Reference, GetKeyLastUsage: KeyLastUsage is empty when the key has not been used since
  // tracking began; TrackingStartDate is the later of tracking's start and the key's creation.
  @Test
  void getKeyLastUsage_newKey_emptyUsageAndTrackingFromCreation() {
    String keyId = kms.createKey();
    ExtractableResponse<Response> described =
        kms.call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200).extract();
    double created = described.path("KeyMetadata.CreationDate");

    kms.call("GetKeyLastUsage", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyId", equalTo(keyId))
        .body("KeyLastUsage", anEmptyMap())
        .body("KeyCreationDate", equalTo(created))
        .body("TrackingStartDate", equalTo(created));
  }

  @Test
  void getKeyLastUsage_afterEncryptThenDecrypt_namesTheLatestWithItsAuditEvent() {
    String keyId = kms.createKey();
    Instant before = Instant.now().minusSeconds(1);
    String blob =
        kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");
    String encryptRequest = lastUse(keyId, "Encrypt");

    String decryptRequest =
        kms.call("Decrypt", Map.of("CiphertextBlob", blob))
            .statusCode(200)
            .extract()
            .header("x-amzn-RequestId");
    Map<String, Object> usage =
        kms.call("GetKeyLastUsage", Map.of("KeyId", kms.arnOf(keyId)))
            .statusCode(200)
            .extract()
            .path("KeyLastUsage");
    assertEquals("Decrypt", usage.get("Operation"));
    assertEquals(decryptRequest, usage.get("KmsRequestId"));
    Row event = auditEvent(decryptRequest);
    assertEquals(
        event.getString(0), usage.get("CloudTrailEventId"), "the Decrypt's CloudTrail eventID");
    Instant timestamp =
        Instant.ofEpochMilli(Math.round(((Number) usage.get("Timestamp")).doubleValue() * 1000));
    long eventMillis = event.getOffsetDateTime(1).toInstant().toEpochMilli();
    assertTrue(Math.abs(eventMillis - timestamp.toEpochMilli()) <= 1, "the event's time");
    assertTrue(timestamp.isAfter(before) && timestamp.isBefore(Instant.now().plusSeconds(1)));
    assertFalse(encryptRequest.equals(decryptRequest));
  }

  // KeyLastUsageData.Operation's valid values: a failed call, a DryRun, GetPublicKey and
  // DescribeKey are no use; ReEncrypt uses both keys (API Reference, GetKeyLastUsage: "Usage
  // information is recorded for both keys independently").
  @Test
  void getKeyLastUsage_onlySuccessfulCryptographicOperationsCount() {
    String keyId = kms.createKey();
    String blob =
        kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");
    String encrypted = lastUse(keyId, "Encrypt");
    kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE, "DryRun", true))
        .statusCode(400)
        .body("__type", equalTo("DryRunOperationException"));
    kms.call("Decrypt", Map.of("CiphertextBlob", blob, "EncryptionContext", Map.of("a", "b")))
        .statusCode(400)
        .body("__type", equalTo("InvalidCiphertextException"));
    kms.call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200);
    assertEquals(encrypted, lastUse(keyId, "Encrypt"), "still the first Encrypt");

    String signing = kms.createKey("ECC_NIST_P256", "SIGN_VERIFY");
    kms.call("GetPublicKey", Map.of("KeyId", signing)).statusCode(200);
    kms.call("GetKeyLastUsage", Map.of("KeyId", signing))
        .statusCode(200)
        .body("KeyLastUsage", anEmptyMap());
    kms.call(
            "Verify",
            Map.of(
                "KeyId",
                signing,
                "Message",
                ONE,
                "Signature",
                ONE,
                "SigningAlgorithm",
                "ECDSA_SHA_256"))
        .statusCode(400);
    kms.call("GetKeyLastUsage", Map.of("KeyId", signing))
        .statusCode(200)
        .body("KeyLastUsage", anEmptyMap());
    kms.call("Sign", Map.of("KeyId", signing, "Message", ONE, "SigningAlgorithm", "ECDSA_SHA_256"))
        .statusCode(200);
    lastUse(signing, "Sign");

    String destination = kms.createKey();
    String reEncrypted =
        kms.call("ReEncrypt", Map.of("CiphertextBlob", blob, "DestinationKeyId", destination))
            .statusCode(200)
            .extract()
            .header("x-amzn-RequestId");
    assertEquals(reEncrypted, lastUse(keyId, "ReEncrypt"));
    assertEquals(reEncrypted, lastUse(destination, "ReEncrypt"));
  }

  // API Reference, GetKeyLastUsage, KeyId: "key ID or key ARN. Alias names are not supported."
  @Test
  void getKeyLastUsage_aliasOrUnknownKey_notFound() {
    String keyId = kms.createKey();
    String alias = "alias/last-usage-" + keyId;
    kms.call("CreateAlias", Map.of("AliasName", alias, "TargetKeyId", keyId)).statusCode(200);
    kms.call("GetKeyLastUsage", Map.of("KeyId", alias))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"))
        .body("message", equalTo("Invalid keyId '" + alias + "'"));
    String missing = kms.arnOf(UUID.randomUUID().toString());
    kms.call("GetKeyLastUsage", Map.of("KeyId", missing))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"))
        .body("message", equalTo("Key '" + missing + "' does not exist"));
    kms.call("GetKeyLastUsage", Map.of())
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }

  // Required permissions: kms:GetKeyLastUsage (key policy); an identity policy allowing only
  // the cryptographic operation does not allow it, and a cross-account caller never gets it.
  @Test
  void getKeyLastUsage_needsItsOwnPermission_andIsNeverCrossAccount() {
    String keyId = kms.createKey();
    String roleArn = "arn:aws:iam::" + kms.accountId() + ":role/Worker";
    kms.callAdmin(
            "PutPrincipalPolicy",
            Map.of(
                "PrincipalArn",
                roleArn,
                "PolicyDocument",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}]}"))
        .statusCode(200);
    KmsApi worker = kms.as(roleArn);
    worker.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE)).statusCode(200);
    worker
        .call("GetKeyLastUsage", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    lastUse(keyId, "Encrypt");

    String shared =
        kms.call(
                "CreateKey",
                Map.of(
                    "Policy",
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                        + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",
                    "BypassPolicyLockoutSafetyCheck",
                    true))
            .statusCode(200)
            .extract()
            .path("KeyMetadata.KeyId");
    KmsApi.newAccount()
        .call("GetKeyLastUsage", Map.of("KeyId", kms.arnOf(shared)))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  // The row moves only forward in time: a batch committed after a newer use (another writer's)
  // leaves it alone.
  @Test
  void usageRow_newerUseStored_olderBatchLeavesItAlone() {
    String keyId = kms.createKey();
    kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE)).statusCode(200);
    OffsetDateTime future = OffsetDateTime.now().plusDays(1);
    DatabaseEdits.execute(
        pool,
        "UPDATE key_last_usage SET operation = 'Sign', used_at = $2, event_id = 'e', request_id = 'r'"
            + " WHERE key_id = $1",
        UUID.fromString(keyId),
        future);
    kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE)).statusCode(200);
    kms.call("GetKeyLastUsage", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyLastUsage.Operation", equalTo("Sign"))
        .body("KeyLastUsage.KmsRequestId", equalTo("r"));
  }

  // Many concurrent uses of a few keys, group-committed together: each key's row names one of
  // its own uses, the latest-timed one among them.
  @Test
  void usageRow_concurrentUses_eachKeyNamesItsLatestUse() throws Exception {
    List<String> keys = List.of(kms.createKey(), kms.createKey(), kms.createKey());
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<CompletableFuture<String>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        String keyId = keys.get(i % keys.size());
        calls.add(
            CompletableFuture.supplyAsync(
                () ->
                    kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
                        .statusCode(200)
                        .extract()
                        .header("x-amzn-RequestId"),
                threads));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
    } finally {
      threads.shutdownNow();
    }
    for (String keyId : keys) {
      String requestId = lastUse(keyId, "Encrypt");
      var latest =
          pool.preparedQuery(
                  "SELECT max(event_time) FROM audit_event WHERE event_name = 'Encrypt'"
                      + " AND error_code IS NULL AND key_arn = $1")
              .execute(Tuple.of(kms.arnOf(keyId)))
              .await()
              .atMost(Duration.ofSeconds(10))
              .iterator()
              .next()
              .getOffsetDateTime(0);
      Row named = auditEvent(requestId);
      assertEquals(kms.arnOf(keyId), named.getString(2), "the row names a use of its own key");
      assertEquals(latest.toInstant(), named.getOffsetDateTime(1).toInstant(), "the latest use");
    }
  }

  @Test
  void keyDeleted_itsUsageRowGoesWithIt() {
    String keyId = kms.createKey();
    kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE)).statusCode(200);
    assertEquals(1, usageRows(keyId));
    kms.call("ScheduleKeyDeletion", Map.of("KeyId", keyId, "PendingWindowInDays", 7))
        .statusCode(200);
    kms.call("GetKeyLastUsage", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyLastUsage.Operation", equalTo("Encrypt"));
    clock.advance(Duration.ofDays(7).plusMinutes(1));
    Maintenance.drain(job);
    kms.call("GetKeyLastUsage", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
    assertEquals(0, usageRows(keyId));
  }

  /** Asserts the key's last use is {@code operation}; its request id. */
  private String lastUse(String keyId, String operation) {
    return kms.call("GetKeyLastUsage", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyLastUsage.Operation", equalTo(operation))
        .body("KeyLastUsage.CloudTrailEventId", org.hamcrest.Matchers.notNullValue())
        .extract()
        .path("KeyLastUsage.KmsRequestId");
  }

  /** event_id, event_time, key_arn of the request's audit event. */
  private Row auditEvent(String requestId) {
    return pool.preparedQuery(
            "SELECT event_id, event_time, key_arn FROM audit_event WHERE request_id = $1")
        .execute(Tuple.of(requestId))
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next();
  }

  private long usageRows(String keyId) {
    return pool.preparedQuery("SELECT count(*) FROM key_last_usage WHERE key_id = $1")
        .execute(Tuple.of(UUID.fromString(keyId)))
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getLong(0);
  }
}
