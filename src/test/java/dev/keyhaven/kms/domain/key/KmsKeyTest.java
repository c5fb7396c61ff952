package dev.keyhaven.kms.domain.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KmsKeyTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static KmsKey key(KeyState state) {
    return new KmsKey(
        new KeyArn("us-east-1", "111122223333", UUID.fromString("1234abcd-12ab-34cd-56ef-1234567890ab")),
        KeySpec.SYMMETRIC_DEFAULT, KeyUsage.ENCRYPT_DECRYPT, Origin.AWS_KMS, state, "", NOW, null,
        null, 1, "m", Rotation.NONE, "{}", Map.of(), 0);
  }

  private static KmsException rejected(KeyState state, KmsAction action) {
    return assertThrows(KmsException.class, () -> key(state).requireStateFor(action));
  }

  // AWS Developer Guide, key states: [1] DisabledException: <key ARN> is disabled.
  @Test
  void requireStateFor_encryptOnDisabled_throwsDisabled() {
    KmsException e = rejected(KeyState.DISABLED, KmsAction.ENCRYPT);
    assertEquals(ErrorCode.DISABLED, e.code());
    assertEquals(key(KeyState.DISABLED).arn() + " is disabled.", e.getMessage());
  }

  // [3] KMSInvalidStateException: <key ARN> is pending deletion.
  @Test
  void requireStateFor_encryptOnPendingDeletion_throwsKmsInvalidState() {
    KmsException e = rejected(KeyState.PENDING_DELETION, KmsAction.ENCRYPT);
    assertEquals(ErrorCode.KMS_INVALID_STATE, e.code());
    assertEquals(key(KeyState.ENABLED).arn() + " is pending deletion.", e.getMessage());
  }

  // [5] KMSInvalidStateException: <key ARN> is pending import.
  @Test
  void requireStateFor_decryptOnPendingImport_throwsKmsInvalidState() {
    KmsException e = rejected(KeyState.PENDING_IMPORT, KmsAction.DECRYPT);
    assertEquals(ErrorCode.KMS_INVALID_STATE, e.code());
    assertEquals(key(KeyState.ENABLED).arn() + " is pending import.", e.getMessage());
  }

  // [4] KMSInvalidStateException: <key ARN> is not pending deletion.
  @Test
  void requireStateFor_cancelDeletionOnEnabled_throwsNotPendingDeletion() {
    KmsException e = rejected(KeyState.ENABLED, KmsAction.CANCEL_KEY_DELETION);
    assertEquals(ErrorCode.KMS_INVALID_STATE, e.code());
    assertEquals(key(KeyState.ENABLED).arn() + " is not pending deletion.", e.getMessage());
  }

  @Test
  void requireStateFor_enableOnPendingImport_throwsKmsInvalidState() {
    assertEquals(ErrorCode.KMS_INVALID_STATE, rejected(KeyState.PENDING_IMPORT, KmsAction.ENABLE_KEY).code());
  }

  @Test
  void requireStateFor_describeInEveryState_passes() {
    for (KeyState state : KeyState.values()) {
      KmsKey k = key(state);
      assertSame(k, k.requireStateFor(KmsAction.DESCRIBE_KEY));
    }
  }

  @Test
  void requireUsage_wrongUsage_throwsInvalidKeyUsage() {
    KmsKey signing =
        new KmsKey(key(KeyState.ENABLED).arn(), KeySpec.ECC_NIST_P256, KeyUsage.SIGN_VERIFY,
            Origin.AWS_KMS, KeyState.ENABLED, "", NOW, null, null, 1, "m", Rotation.NONE, "{}", Map.of(), 0);
    KmsException e =
        assertThrows(KmsException.class, () -> signing.requireUsage(KeyUsage.ENCRYPT_DECRYPT, KmsAction.ENCRYPT));
    assertEquals(ErrorCode.INVALID_KEY_USAGE, e.code());
    assertEquals(signing.arn() + " key usage is SIGN_VERIFY which is not valid for Encrypt.", e.getMessage());
  }

  @Test
  void scheduleDeletion_sevenDays_setsDeletionDateAndWindow() {
    KmsKey pending = key(KeyState.ENABLED).scheduleDeletion(NOW, 7);
    assertEquals(KeyState.PENDING_DELETION, pending.keyState());
    assertEquals(Instant.parse("2026-01-08T00:00:00Z"), pending.deletionDate());
    assertEquals(7, pending.pendingDeletionWindowInDays());
  }

  @Test
  void withState_leavingPendingDeletion_clearsDeletionDate() {
    KmsKey cancelled = key(KeyState.ENABLED).scheduleDeletion(NOW, 7).withState(KeyState.DISABLED);
    assertNull(cancelled.deletionDate());
    assertNull(cancelled.pendingDeletionWindowInDays());
  }
}
