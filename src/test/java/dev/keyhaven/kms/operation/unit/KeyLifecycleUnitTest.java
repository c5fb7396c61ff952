package dev.keyhaven.kms.operation.unit;

import static dev.keyhaven.kms.operation.unit.UnitKms.refused;
import static dev.keyhaven.kms.operation.unit.UnitKms.root;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.policy.DefaultKeyPolicy;
import dev.keyhaven.kms.operation.KeyMetadata;
import dev.keyhaven.kms.operation.admin.CancelKeyDeletion;
import dev.keyhaven.kms.operation.admin.CreateKey;
import dev.keyhaven.kms.operation.admin.DisableKey;
import dev.keyhaven.kms.operation.admin.EnableKey;
import dev.keyhaven.kms.operation.admin.ScheduleKeyDeletion;
import dev.keyhaven.kms.operation.crypto.DescribeKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * CreateKey, EnableKey/DisableKey and ScheduleKeyDeletion/CancelKeyDeletion through the operation
 * pipeline on in-memory persistence (the HTTP and PostgreSQL version: KeyLifecycleTest,
 * KeyStateTableTest). The key-state table's AWS errors: a Disabled key answers DisabledException, a
 * key pending deletion KMSInvalidStateException.
 */
class KeyLifecycleUnitTest {
  private static final byte[] PLAINTEXT = "lifecycle".getBytes(StandardCharsets.UTF_8);

  private final UnitKms kms = new UnitKms();

  private KmsKey stored(String keyId) {
    return kms.keys.findById(UUID.fromString(keyId)).await().indefinitely().orElseThrow();
  }

  private KeyMetadata describe(String keyId) {
    return kms.call(DescribeKey.class, new DescribeKey.Request(KeyReference.of(keyId), null))
        .keyMetadata();
  }

  @Test
  void createKey_noParameters_enabledSymmetricKeyWithDefaultPolicyAndWrappedMaterial() {
    KeyMetadata created = kms.createKey().keyMetadata();
    assertEquals("Enabled", created.keyState());
    assertEquals("SYMMETRIC_DEFAULT", created.keySpec());
    assertEquals("ENCRYPT_DECRYPT", created.keyUsage());
    assertEquals("arn:aws:kms:us-east-1:111122223333:key/" + created.keyId(), created.arn());
    assertEquals(
        DefaultKeyPolicy.forAccount("aws", UnitKms.ACCOUNT), stored(created.keyId()).policy());
    var material =
        kms.keys.findMaterial(UUID.fromString(created.keyId()), 1).await().indefinitely();
    // AES-256-GCM under the root key: 12-byte IV, 32 bytes of material, 16-byte tag.
    assertEquals(60, material.orElseThrow().wrapped().length);
    assertEquals(created, describe(created.keyId()));
  }

  @Test
  void createKey_rsaWithoutKeyUsage_validationExceptionAndNothingStored() {
    var e =
        refused(
            ErrorCode.VALIDATION,
            () ->
                kms.call(
                    CreateKey.class,
                    new CreateKey.Request(
                        null, null, null, null, "RSA_2048", null, null, null, null, null, null)));
    assertEquals(
        "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
        e.getMessage());
    assertTrue(
        kms.keys.list(UnitKms.ACCOUNT, UnitKms.REGION, null, 10).await().indefinitely().isEmpty());
  }

  @Test
  void describeKey_unknownKeyId_notFoundNamingTheCallersArn() {
    String missing = UUID.randomUUID().toString();
    var e = refused(ErrorCode.NOT_FOUND, () -> describe(missing));
    assertEquals(
        "Key 'arn:aws:kms:us-east-1:111122223333:key/" + missing + "' does not exist",
        e.getMessage());
  }

  @Test
  void disableKey_thenEncrypt_disabledExceptionUntilEnabledAgain() {
    KeyMetadata key = kms.createKey().keyMetadata();
    kms.call(DisableKey.class, new EnableKey.Request(KeyReference.of(key.keyId())));
    assertEquals("Disabled", describe(key.keyId()).keyState());
    assertFalse(describe(key.keyId()).enabled());

    var e =
        refused(ErrorCode.DISABLED, () -> kms.encrypt(root(), key.keyId(), PLAINTEXT, Map.of()));
    assertEquals(key.arn() + " is disabled.", e.getMessage());

    kms.call(EnableKey.class, new EnableKey.Request(KeyReference.of(key.keyId())));
    byte[] blob = kms.encrypt(root(), key.keyId(), PLAINTEXT, Map.of()).ciphertextBlob();
    assertArrayEquals(PLAINTEXT, kms.decrypt(root(), blob, Map.of()).plaintext());
  }

  @Test
  void disableKey_alreadyDisabled_notWrittenAgain() {
    String keyId = kms.createKey().keyMetadata().keyId();
    kms.call(DisableKey.class, new EnableKey.Request(KeyReference.of(keyId)));
    long revision = stored(keyId).revision();
    kms.call(DisableKey.class, new EnableKey.Request(KeyReference.of(keyId)));
    assertEquals(revision, stored(keyId).revision());
  }

  @Test
  void disabledKey_decryptOfEarlierCiphertext_disabledException() {
    KeyMetadata key = kms.createKey().keyMetadata();
    byte[] blob = kms.encrypt(root(), key.keyId(), PLAINTEXT, Map.of()).ciphertextBlob();
    kms.call(DisableKey.class, new EnableKey.Request(KeyReference.of(key.keyId())));
    var e = refused(ErrorCode.DISABLED, () -> kms.decrypt(root(), blob, Map.of()));
    assertEquals(key.arn() + " is disabled.", e.getMessage());
  }

  @Test
  void scheduleKeyDeletion_defaultWindow_pendingDeletionForThirtyDaysAndUnusable() {
    KeyMetadata key = kms.createKey().keyMetadata();
    byte[] blob = kms.encrypt(root(), key.keyId(), PLAINTEXT, Map.of()).ciphertextBlob();
    ScheduleKeyDeletion.Response scheduled =
        kms.call(
            ScheduleKeyDeletion.class,
            new ScheduleKeyDeletion.Request(KeyReference.of(key.keyId()), null));
    assertEquals("PendingDeletion", scheduled.keyState());
    assertEquals(30, scheduled.pendingWindowInDays());
    assertEquals(key.arn(), scheduled.keyId());
    assertEquals(Instant.parse("2027-01-06T12:00:00Z"), scheduled.deletionDate());

    var encrypt =
        refused(
            ErrorCode.KMS_INVALID_STATE,
            () -> kms.encrypt(root(), key.keyId(), PLAINTEXT, Map.of()));
    assertEquals(key.arn() + " is pending deletion.", encrypt.getMessage());
    var decrypt = refused(ErrorCode.KMS_INVALID_STATE, () -> kms.decrypt(root(), blob, Map.of()));
    assertEquals(key.arn() + " is pending deletion.", decrypt.getMessage());
  }

  @Test
  void scheduleKeyDeletion_windowBelowSevenDays_validationExceptionAndKeyUnchanged() {
    String keyId = kms.createKey().keyMetadata().keyId();
    var e =
        refused(
            ErrorCode.VALIDATION,
            () ->
                kms.call(
                    ScheduleKeyDeletion.class,
                    new ScheduleKeyDeletion.Request(KeyReference.of(keyId), 6)));
    assertEquals(
        "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy"
            + " constraint: Member must have value greater than or equal to 7",
        e.getMessage());
    assertEquals("Enabled", describe(keyId).keyState());
  }

  @Test
  void cancelKeyDeletion_pendingKey_disabledWithoutDeletionDateThenEnableable() {
    KeyMetadata key = kms.createKey().keyMetadata();
    kms.call(
        ScheduleKeyDeletion.class,
        new ScheduleKeyDeletion.Request(KeyReference.of(key.keyId()), 7));
    kms.advance(Duration.ofDays(3));
    CancelKeyDeletion.Response cancelled =
        kms.call(
            CancelKeyDeletion.class, new CancelKeyDeletion.Request(KeyReference.of(key.keyId())));
    assertEquals(key.arn(), cancelled.keyId());
    KeyMetadata after = describe(key.keyId());
    // AWS KMS API Reference, CancelKeyDeletion: "the KMS key is in the Disabled state".
    assertEquals("Disabled", after.keyState());
    assertEquals(null, after.deletionDate());

    kms.call(EnableKey.class, new EnableKey.Request(KeyReference.of(key.keyId())));
    assertNotNull(kms.encrypt(root(), key.keyId(), PLAINTEXT, Map.of()).ciphertextBlob());
  }

  @Test
  void cancelKeyDeletion_keyNotPendingDeletion_invalidState() {
    KeyMetadata key = kms.createKey().keyMetadata();
    var e =
        refused(
            ErrorCode.KMS_INVALID_STATE,
            () ->
                kms.call(
                    CancelKeyDeletion.class,
                    new CancelKeyDeletion.Request(KeyReference.of(key.keyId()))));
    assertEquals(key.arn() + " is not pending deletion.", e.getMessage());
  }
}
