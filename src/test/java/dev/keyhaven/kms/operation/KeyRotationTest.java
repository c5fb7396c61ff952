package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import dev.keyhaven.kms.support.Maintenance;
import dev.keyhaven.kms.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations,
 * and automatic rotation by the maintenance job (AWS KMS API Reference; AWS KMS Developer Guide,
 * "Rotate AWS KMS keys").
 */
@QuarkusTest
class KeyRotationTest {
  private final KmsApi kms = KmsApi.newAccount();

  @Inject TestClock clock;
  @Inject KeyMaintenance job;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  // AWS KMS API Reference, RotateKeyOnDemand / ListKeyRotations; Developer Guide, "Rotate AWS KMS
  // keys": earlier material keeps decrypting, new encryption uses the newest.
  @Test
  void rotateKeyOnDemand_threeTimes_oldCiphertextsDecryptNewOnesUseNewestVersion() {
    String keyId = kms.createKey();
    List<String> materialIds = new ArrayList<>();
    List<String> ciphertexts = new ArrayList<>();
    for (int version = 1; version <= 4; version++) {
      materialIds.add(describe(keyId).extract().path("KeyMetadata.CurrentKeyMaterialId"));
      String blob = encrypt(keyId, new byte[] {(byte) version});
      assertEquals(version, blobVersion(blob));
      ciphertexts.add(blob);
      if (version < 4) {
        // Recorded against AWS (issue 26): the response's KeyId is the key ARN.
        kms.call("RotateKeyOnDemand", Map.of("KeyId", keyId))
            .statusCode(200)
            .body("KeyId", equalTo(kms.arnOf(keyId)));
      }
    }
    assertEquals(4, materialIds.stream().distinct().count());
    for (int i = 0; i < ciphertexts.size(); i++) {
      byte[] plaintext =
          KmsApi.unb64(
              kms.call("Decrypt", Map.of("CiphertextBlob", ciphertexts.get(i)))
                  .statusCode(200)
                  .extract()
                  .path("Plaintext"));
      assertArrayEquals(new byte[] {(byte) (i + 1)}, plaintext);
    }
    kms.call("ListKeyRotations", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("Rotations", hasSize(3))
        .body("Rotations.KeyMaterialId", contains(materialIds.subList(1, 4).toArray()))
        .body("Rotations.RotationType", contains("ON_DEMAND", "ON_DEMAND", "ON_DEMAND"))
        .body("Rotations.KeyMaterialState", contains("NON_CURRENT", "NON_CURRENT", "CURRENT"))
        .body("Rotations.KeyId", contains(keyId, keyId, keyId))
        .body("Truncated", equalTo(false))
        .body("NextMarker", nullValue());
    // Epoch seconds: a date on a whole second is a JSON integer, so read them as numbers.
    List<Double> dates =
        kms
            .call("ListKeyRotations", Map.of("KeyId", keyId))
            .extract()
            .<List<Number>>path("Rotations.RotationDate")
            .stream()
            .map(Number::doubleValue)
            .toList();
    assertTrue(dates.get(0) <= dates.get(1) && dates.get(1) <= dates.get(2), dates::toString);
    // ALL_KEY_MATERIAL adds the first material, which has no rotation date or type.
    kms.call("ListKeyRotations", Map.of("KeyId", keyId, "IncludeKeyMaterial", "ALL_KEY_MATERIAL"))
        .statusCode(200)
        .body("Rotations.KeyMaterialId", contains(materialIds.toArray()))
        .body("Rotations[0].RotationDate", nullValue())
        .body("Rotations[0].RotationType", nullValue());
  }

  @Test
  void listKeyRotations_limitOne_pagesInOrder() {
    String keyId = kms.createKey();
    kms.call("RotateKeyOnDemand", Map.of("KeyId", keyId)).statusCode(200);
    kms.call("RotateKeyOnDemand", Map.of("KeyId", keyId)).statusCode(200);
    var first = kms.call("ListKeyRotations", Map.of("KeyId", keyId, "Limit", 1)).statusCode(200);
    first
        .body("Rotations", hasSize(1))
        .body("Truncated", equalTo(true))
        .body("NextMarker", notNullValue());
    String marker = first.extract().path("NextMarker");
    kms.call("ListKeyRotations", Map.of("KeyId", keyId, "Limit", 1, "Marker", marker))
        .statusCode(200)
        .body("Rotations", hasSize(1))
        .body("Rotations[0].KeyMaterialState", equalTo("CURRENT"))
        .body("Truncated", equalTo(false));
    kms.call("ListKeyRotations", Map.of("KeyId", keyId, "Marker", "!!"))
        .statusCode(400)
        .body("__type", equalTo("InvalidMarkerException"));
  }

  @Test
  void listKeyRotations_invalidMembers_validationException() {
    String keyId = kms.createKey();
    kms.call("ListKeyRotations", Map.of("KeyId", keyId, "Limit", 0, "IncludeKeyMaterial", "SOME"))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body(
            "message",
            equalTo(
                "2 validation errors detected: Value 'SOME' at 'includeKeyMaterial' failed to"
                    + " satisfy constraint: Member must satisfy enum value set: [ALL_KEY_MATERIAL,"
                    + " ROTATIONS_ONLY]; Value '0' at 'limit' failed to satisfy constraint: Member"
                    + " must have value greater than or equal to 1"));
  }

  // AWS KMS API Reference, EnableKeyRotation RotationPeriodInDays: 90–2560, default 365.
  @Test
  void enableKeyRotation_default_365DaysFromNow() {
    String keyId = kms.createKey();
    kms.call("GetKeyRotationStatus", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyRotationEnabled", equalTo(false))
        .body("KeyId", equalTo(keyId))
        .body("RotationPeriodInDays", nullValue())
        .body("NextRotationDate", nullValue());
    double before = Instant.now().getEpochSecond();
    kms.call("EnableKeyRotation", Map.of("KeyId", keyId)).statusCode(200);
    double next =
        kms.call("GetKeyRotationStatus", Map.of("KeyId", keyId))
            .statusCode(200)
            .body("KeyRotationEnabled", equalTo(true))
            .body("RotationPeriodInDays", equalTo(365))
            .body("OnDemandRotationStartDate", nullValue())
            .extract()
            .<Number>path("NextRotationDate")
            .doubleValue();
    double expected = before + Duration.ofDays(365).toSeconds();
    assertTrue(next >= expected - 1 && next < expected + 120, () -> next + " vs " + expected);
  }

  @Test
  void enableKeyRotation_periodOutOfRange_validationException() {
    String keyId = kms.createKey();
    kms.call("EnableKeyRotation", Map.of("KeyId", keyId, "RotationPeriodInDays", 89))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body(
            "message",
            equalTo(
                "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to"
                    + " satisfy constraint: Member must have value greater than or equal to 90"));
    kms.call("EnableKeyRotation", Map.of("KeyId", keyId, "RotationPeriodInDays", 2561))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    kms.call("EnableKeyRotation", Map.of("KeyId", keyId, "RotationPeriodInDays", 2560))
        .statusCode(200);
    kms.call("EnableKeyRotation", Map.of())
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }

  @Test
  void disableKeyRotation_afterEnable_statusFalse() {
    String keyId = kms.createKey();
    kms.call("EnableKeyRotation", Map.of("KeyId", keyId, "RotationPeriodInDays", 90))
        .statusCode(200);
    kms.call("DisableKeyRotation", Map.of("KeyId", keyId)).statusCode(200);
    kms.call("GetKeyRotationStatus", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyRotationEnabled", equalTo(false))
        .body("RotationPeriodInDays", nullValue());
  }

  // Key-state table: EnableKeyRotation on a Disabled key → [1]; PendingDeletion → [3];
  // GetKeyRotationStatus works in every state and answers false while pending deletion.
  @Test
  void rotationOperations_keyStates_followAwsTable() {
    String keyId = kms.createKey();
    String arn = kms.arnOf(keyId);
    kms.call("EnableKeyRotation", Map.of("KeyId", keyId)).statusCode(200);
    kms.call("DisableKey", Map.of("KeyId", keyId)).statusCode(200);
    kms.call("EnableKeyRotation", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("DisabledException"))
        .body("message", equalTo(arn + " is disabled."));
    kms.call("RotateKeyOnDemand", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("DisabledException"));
    kms.call("GetKeyRotationStatus", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyRotationEnabled", equalTo(true));
    kms.call("ScheduleKeyDeletion", Map.of("KeyId", keyId, "PendingWindowInDays", 7))
        .statusCode(200);
    kms.call("DisableKeyRotation", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("KMSInvalidStateException"))
        .body("message", equalTo(arn + " is pending deletion."));
    kms.call("GetKeyRotationStatus", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyRotationEnabled", equalTo(false));
    kms.call("ListKeyRotations", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("Rotations", hasSize(0));
    kms.call("CancelKeyDeletion", Map.of("KeyId", keyId)).statusCode(200);
    kms.call("GetKeyRotationStatus", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyRotationEnabled", equalTo(true))
        .body("RotationPeriodInDays", equalTo(365));
  }

  @Test
  void rotationOperations_unknownKey_notFound() {
    String missing = "11111111-2222-3333-4444-555555555555";
    for (String op :
        List.of(
            "EnableKeyRotation",
            "DisableKeyRotation",
            "GetKeyRotationStatus",
            "RotateKeyOnDemand",
            "ListKeyRotations")) {
      kms.call(op, Map.of("KeyId", missing))
          .statusCode(400)
          .body("__type", equalTo("NotFoundException"))
          .body("message", equalTo("Key '" + kms.arnOf(missing) + "' does not exist"));
    }
  }

  // AWS KMS Developer Guide, "Rotate keys on demand": at most 25 per key, not adjustable.
  @Test
  void rotateKeyOnDemand_26th_limitExceeded() {
    String keyId = kms.createKey();
    for (int i = 0; i < 25; i++) {
      kms.call("RotateKeyOnDemand", Map.of("KeyId", keyId)).statusCode(200);
    }
    kms.call("RotateKeyOnDemand", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("LimitExceededException"))
        .body(
            "message",
            equalTo(
                "The on-demand rotations limit has been reached for the given keyId. No more"
                    + " on-demand rotations can be performed for this key: "
                    + kms.arnOf(keyId)));
    kms.call("ListKeyRotations", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("Rotations", hasSize(25));
  }

  // AWS KMS API Reference, ConflictException: an automatic rotation due within 20 minutes.
  @Test
  void rotateKeyOnDemand_automaticRotationDueSoon_conflict() {
    String keyId = kms.createKey();
    kms.call("EnableKeyRotation", Map.of("KeyId", keyId, "RotationPeriodInDays", 90))
        .statusCode(200);
    clock.advance(Duration.ofDays(90).minusMinutes(10));
    kms.call("RotateKeyOnDemand", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("ConflictException"));
  }

  // Automatic rotation: the job rotates a key whose date passed; the next date moves one period on;
  // old ciphertexts keep decrypting and Encrypt uses the new version at once.
  @Test
  void maintenanceJob_afterRotationPeriod_rotatesAutomatically() {
    String keyId = kms.createKey();
    String before = encrypt(keyId, new byte[] {7});
    kms.call("EnableKeyRotation", Map.of("KeyId", keyId)).statusCode(200);
    clock.advance(Duration.ofDays(366));
    Maintenance.drain(job);
    kms.call("ListKeyRotations", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("Rotations.RotationType", contains("AUTOMATIC"))
        .body("Rotations[0].KeyMaterialState", equalTo("CURRENT"));
    double next =
        kms.call("GetKeyRotationStatus", Map.of("KeyId", keyId))
            .extract()
            .<Number>path("NextRotationDate")
            .doubleValue();
    double expected = clock.instant().plus(Duration.ofDays(365)).getEpochSecond();
    assertTrue(Math.abs(next - expected) < 120, () -> next + " vs " + expected);
    assertEquals(2, blobVersion(encrypt(keyId, new byte[] {8})));
    kms.call("Decrypt", Map.of("CiphertextBlob", before)).statusCode(200);
    // Idempotent: a second run finds nothing more to do for this key.
    Maintenance.drain(job);
    kms.call("ListKeyRotations", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("Rotations", hasSize(1));
    // The rotation is an audit service event of the key's account (docs/audit.md).
    String event =
        kms.callAdmin("LookupEvents", Map.of("KeyId", keyId, "EventName", "RotateKey"))
            .statusCode(200)
            .body("Events", hasSize(1))
            .extract()
            .path("Events[0].CloudTrailEvent");
    assertTrue(event.contains("\"eventType\":\"AwsServiceEvent\""), event);
    assertTrue(event.contains("\"invokedBy\":\"AWS Internal\""), event);
    assertTrue(
        event.contains("\"serviceEventDetails\":{\"keyId\":\"" + kms.arnOf(keyId) + "\"}"), event);
  }

  // GetKeyRotationStatus: disabled keys are not rotated; once re-enabled, a key whose date passed
  // rotates at once.
  @Test
  void maintenanceJob_disabledKey_waitsUntilReEnabled() {
    String keyId = kms.createKey();
    kms.call("EnableKeyRotation", Map.of("KeyId", keyId, "RotationPeriodInDays", 90))
        .statusCode(200);
    kms.call("DisableKey", Map.of("KeyId", keyId)).statusCode(200);
    clock.advance(Duration.ofDays(91));
    Maintenance.drain(job);
    kms.call("ListKeyRotations", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("Rotations", hasSize(0));
    kms.call("EnableKey", Map.of("KeyId", keyId)).statusCode(200);
    Maintenance.drain(job);
    kms.call("ListKeyRotations", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("Rotations.RotationType", contains("AUTOMATIC"));
  }

  @Test
  void describeKey_afterRotation_currentKeyMaterialIdIsNewest() {
    String keyId = kms.createKey();
    kms.call("RotateKeyOnDemand", Map.of("KeyId", keyId)).statusCode(200);
    String newest =
        kms.call("ListKeyRotations", Map.of("KeyId", keyId))
            .extract()
            .path("Rotations[0].KeyMaterialId");
    describe(keyId)
        .body("KeyMetadata.CurrentKeyMaterialId", equalTo(newest))
        .body("KeyMetadata.CurrentKeyMaterialId", matchesPattern("[0-9a-f]{64}"));
  }

  private io.restassured.response.ValidatableResponse describe(String keyId) {
    return kms.call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200);
  }

  private String encrypt(String keyId, byte[] plaintext) {
    return kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", KmsApi.b64(plaintext)))
        .statusCode(200)
        .extract()
        .path("CiphertextBlob");
  }

  /** The key material version a blob names (docs/ciphertext-format.md: bytes 17–20). */
  static int blobVersion(String blob) {
    return ByteBuffer.wrap(KmsApi.unb64(blob), 17, 4).getInt();
  }
}
