package dev.keyhaven.kms.domain.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KmsKeyTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static KmsKey key(KeyState state) {
    return key(KeySpec.SYMMETRIC_DEFAULT, KeyUsage.ENCRYPT_DECRYPT, Origin.AWS_KMS, state);
  }

  private static KmsKey key(KeySpec spec, KeyUsage usage, Origin origin, KeyState state) {
    return new KmsKey(
        new KeyArn(
            "aws",
            "us-east-1",
            "111122223333",
            UUID.fromString("1234abcd-12ab-34cd-56ef-1234567890ab")),
        spec,
        usage,
        origin,
        state,
        "",
        NOW,
        null,
        null,
        1,
        "m",
        Rotation.NONE,
        "{}",
        Map.of(),
        null,
        0);
  }

  private static KmsException rejected(KeyState state, KmsAction action) {
    return assertThrows(KmsException.class, () -> key(state).requireStateFor(action));
  }

  /** Each change sets its own members and keeps every other member, the revision included. */
  @Test
  void changes_keepEveryMemberTheyDoNotSet() {
    KmsKey scheduled =
        key(KeyState.ENABLED)
            .withTags(Map.of("team", "a"))
            .withDescription("d")
            .withPolicy("{\"Version\":\"2012-10-17\"}")
            .enableRotation(NOW, 90)
            .scheduleDeletion(NOW, 7);
    assertEquals(Map.of("team", "a"), scheduled.tags());
    assertEquals("d", scheduled.description());
    assertEquals("{\"Version\":\"2012-10-17\"}", scheduled.policy());
    assertTrue(scheduled.rotation().automatic());
    assertEquals(KeyState.PENDING_DELETION, scheduled.keyState());
    assertEquals(NOW.plusSeconds(7 * 86_400), scheduled.deletionDate());
    assertEquals(7, scheduled.pendingDeletionWindowInDays());
    assertEquals(key(KeyState.ENABLED).arn(), scheduled.arn());
    assertEquals(NOW, scheduled.creationDate());

    KmsKey cancelled = scheduled.cancelDeletion();
    assertEquals(KeyState.DISABLED, cancelled.keyState());
    assertNull(cancelled.deletionDate());
    assertNull(cancelled.pendingDeletionWindowInDays());
    assertEquals(scheduled.withState(KeyState.DISABLED), cancelled);

    KmsKey rotated = cancelled.rotate("m2", RotationType.ON_DEMAND, NOW);
    assertEquals(2, rotated.currentVersion());
    assertEquals("m2", rotated.currentKeyMaterialId());
    assertEquals(1, rotated.rotation().onDemandRotations());
    assertEquals(
        new KmsKey(
            cancelled.arn(),
            cancelled.keySpec(),
            cancelled.keyUsage(),
            cancelled.origin(),
            cancelled.keyState(),
            cancelled.description(),
            cancelled.creationDate(),
            null,
            null,
            2,
            "m2",
            rotated.rotation(),
            cancelled.policy(),
            cancelled.tags(),
            null,
            cancelled.revision()),
        rotated);
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
    assertEquals(
        ErrorCode.KMS_INVALID_STATE,
        rejected(KeyState.PENDING_IMPORT, KmsAction.ENABLE_KEY).code());
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
        key(KeySpec.ECC_NIST_P256, KeyUsage.SIGN_VERIFY, Origin.AWS_KMS, KeyState.ENABLED);
    KmsException e =
        assertThrows(
            KmsException.class,
            () -> signing.requireUsage(KeyUsage.ENCRYPT_DECRYPT, KmsAction.ENCRYPT));
    assertEquals(ErrorCode.INVALID_KEY_USAGE, e.code());
    assertEquals(
        signing.arn() + " key usage is SIGN_VERIFY which is not valid for Encrypt.",
        e.getMessage());
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

  // [6] UnsupportedOperationException: <key ARN> origin is EXTERNAL which is not valid for this
  // operation. (EnableKeyRotation on a PendingImport key: the origin rule comes before the state.)
  @Test
  void requireStateFor_rotationOnExternalKey_throwsUnsupported() {
    KmsKey imported =
        key(
            KeySpec.SYMMETRIC_DEFAULT,
            KeyUsage.ENCRYPT_DECRYPT,
            Origin.EXTERNAL,
            KeyState.PENDING_IMPORT);
    for (KmsAction action :
        new KmsAction[] {
          KmsAction.ENABLE_KEY_ROTATION,
          KmsAction.DISABLE_KEY_ROTATION,
          KmsAction.GET_KEY_ROTATION_STATUS
        }) {
      KmsException e = assertThrows(KmsException.class, () -> imported.requireStateFor(action));
      assertEquals(ErrorCode.UNSUPPORTED_OPERATION, e.code());
      assertEquals(
          imported.arn() + " origin is EXTERNAL which is not valid for this operation.",
          e.getMessage());
    }
  }

  // Imported symmetric material rotates on demand (AWS 2025), so RotateKeyOnDemand and
  // ListKeyRotations serve EXTERNAL keys. Recorded against AWS (issue 26): RotateKeyOnDemand checks
  // the state first — "<arn> is pending import." for SYMMETRIC_DEFAULT and RSA_4096,
  // DisabledException
  // for a disabled RSA_4096 key — then the spec: UnsupportedOperationException with no message.
  @Test
  void requireStateFor_rotateKeyOnDemand_stateBeforeSpec() {
    for (KeySpec spec : new KeySpec[] {KeySpec.SYMMETRIC_DEFAULT, KeySpec.RSA_4096}) {
      KmsKey pendingImport =
          key(spec, KeyUsage.ENCRYPT_DECRYPT, Origin.EXTERNAL, KeyState.PENDING_IMPORT);
      KmsException e =
          assertThrows(
              KmsException.class,
              () -> pendingImport.requireStateFor(KmsAction.ROTATE_KEY_ON_DEMAND));
      assertEquals(ErrorCode.KMS_INVALID_STATE, e.code());
      assertEquals(pendingImport.arn() + " is pending import.", e.getMessage());
    }
    KmsKey disabledRsa =
        key(KeySpec.RSA_4096, KeyUsage.ENCRYPT_DECRYPT, Origin.AWS_KMS, KeyState.DISABLED);
    assertEquals(
        ErrorCode.DISABLED,
        assertThrows(
                KmsException.class,
                () -> disabledRsa.requireStateFor(KmsAction.ROTATE_KEY_ON_DEMAND))
            .code());
    KmsKey rsa = key(KeySpec.RSA_4096, KeyUsage.ENCRYPT_DECRYPT, Origin.AWS_KMS, KeyState.ENABLED);
    KmsException unsupported =
        assertThrows(KmsException.class, () -> rsa.requireStateFor(KmsAction.ROTATE_KEY_ON_DEMAND));
    assertEquals(ErrorCode.UNSUPPORTED_OPERATION, unsupported.code());
    assertNull(unsupported.getMessage());
    assertTrue(unsupported.logDetail().contains("RSA_4096"));
    KmsKey external =
        key(KeySpec.SYMMETRIC_DEFAULT, KeyUsage.ENCRYPT_DECRYPT, Origin.EXTERNAL, KeyState.ENABLED);
    assertSame(external, external.requireStateFor(KmsAction.ROTATE_KEY_ON_DEMAND));
    KmsKey pendingImport =
        key(
            KeySpec.SYMMETRIC_DEFAULT,
            KeyUsage.ENCRYPT_DECRYPT,
            Origin.EXTERNAL,
            KeyState.PENDING_IMPORT);
    assertSame(pendingImport, pendingImport.requireStateFor(KmsAction.LIST_KEY_ROTATIONS));
    assertEquals(
        ErrorCode.UNSUPPORTED_OPERATION,
        assertThrows(KmsException.class, () -> rsa.requireStateFor(KmsAction.LIST_KEY_ROTATIONS))
            .code());
  }

  // EnableKeyRotation: no automatic rotation of asymmetric or HMAC keys.
  @Test
  void requireStateFor_rotationOnAsymmetricKey_throwsUnsupported() {
    KmsKey signing =
        key(KeySpec.ECC_NIST_P256, KeyUsage.SIGN_VERIFY, Origin.AWS_KMS, KeyState.ENABLED);
    KmsException e =
        assertThrows(
            KmsException.class, () -> signing.requireStateFor(KmsAction.ENABLE_KEY_ROTATION));
    assertEquals(ErrorCode.UNSUPPORTED_OPERATION, e.code());
  }

  // [1] and [3] for the EnableKeyRotation/DisableKeyRotation rows; GetKeyRotationStatus: any state.
  @Test
  void requireStateFor_rotationRows_followAwsTable() {
    assertEquals(
        ErrorCode.DISABLED, rejected(KeyState.DISABLED, KmsAction.ENABLE_KEY_ROTATION).code());
    assertEquals(
        ErrorCode.KMS_INVALID_STATE,
        rejected(KeyState.PENDING_DELETION, KmsAction.ROTATE_KEY_ON_DEMAND).code());
    for (KeyState state :
        new KeyState[] {KeyState.ENABLED, KeyState.DISABLED, KeyState.PENDING_DELETION}) {
      KmsKey k = key(state);
      assertSame(k, k.requireStateFor(KmsAction.GET_KEY_ROTATION_STATUS));
      assertSame(k, k.requireStateFor(KmsAction.LIST_KEY_ROTATIONS));
    }
  }

  // GetKeyRotationStatus: a key pending deletion reports false; cancelling restores the setting.
  @Test
  void automaticRotationEnabled_pendingDeletion_falseThenRestored() {
    KmsKey rotating = key(KeyState.ENABLED).enableRotation(NOW, 365);
    assertTrue(rotating.automaticRotationEnabled());
    KmsKey pending = rotating.scheduleDeletion(NOW, 7);
    assertFalse(pending.automaticRotationEnabled());
    assertTrue(pending.withState(KeyState.DISABLED).automaticRotationEnabled());
  }

  @Test
  void rotate_onDemand_newCurrentVersionAndMaterialId() {
    KmsKey rotated = key(KeyState.ENABLED).rotate("m2", RotationType.ON_DEMAND, NOW);
    assertEquals(2, rotated.currentVersion());
    assertEquals("m2", rotated.currentKeyMaterialId());
    assertEquals(1, rotated.rotation().onDemandRotations());
  }

  @Test
  void rotate_automaticWithoutSchedule_throws() {
    assertThrows(
        IllegalStateException.class,
        () -> key(KeyState.ENABLED).rotate("m2", RotationType.AUTOMATIC, NOW));
  }

  // AWS KMS Developer Guide, "Rotate keys on demand": 25 on-demand rotations per key.
  @Test
  void requireOnDemandRotationAllowed_after25_throwsLimitExceeded() {
    KmsKey k = key(KeyState.ENABLED);
    for (int i = 0; i < KmsKey.ON_DEMAND_ROTATION_LIMIT; i++) {
      k = k.requireOnDemandRotationAllowed(NOW).rotate("m" + i, RotationType.ON_DEMAND, NOW);
    }
    KmsKey exhausted = k;
    KmsException e =
        assertThrows(KmsException.class, () -> exhausted.requireOnDemandRotationAllowed(NOW));
    assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code());
    assertEquals(
        "The on-demand rotations limit has been reached for the given keyId. No more on-demand"
            + " rotations can be performed for this key: "
            + k.arn(),
        e.getMessage());
  }

  // AWS KMS API Reference, ConflictException: automatic rotation due within the next 20 minutes.
  @Test
  void requireOnDemandRotationAllowed_automaticRotationDueSoon_throwsConflict() {
    KmsKey rotating = key(KeyState.ENABLED).enableRotation(NOW, 90);
    Instant justBefore =
        NOW.plus(java.time.Duration.ofDays(90)).minus(java.time.Duration.ofMinutes(19));
    KmsException e =
        assertThrows(KmsException.class, () -> rotating.requireOnDemandRotationAllowed(justBefore));
    assertEquals(ErrorCode.CONFLICT, e.code());
    Instant wellBefore =
        NOW.plus(java.time.Duration.ofDays(90)).minus(java.time.Duration.ofMinutes(21));
    assertSame(rotating, rotating.requireOnDemandRotationAllowed(wellBefore));
  }

  private static KmsKey external(KeyState state) {
    return key(KeySpec.SYMMETRIC_DEFAULT, KeyUsage.ENCRYPT_DECRYPT, Origin.EXTERNAL, state);
  }

  // AWS KMS API Reference, ImportKeyMaterial: PendingImport → Enabled; re-import needs the same
  // material (IncorrectKeyMaterialException).
  @Test
  void importMaterial_pendingImport_becomesEnabled_otherMaterialLaterRefused() {
    KmsKey imported =
        external(KeyState.PENDING_IMPORT)
            .importMaterial("f1", ExpirationModel.KEY_MATERIAL_DOES_NOT_EXPIRE, null);
    assertEquals(KeyState.ENABLED, imported.keyState());
    assertTrue(imported.hasMaterial());
    KmsException e =
        assertThrows(
            KmsException.class,
            () ->
                imported
                    .deleteImportedMaterial()
                    .importMaterial("f2", ExpirationModel.KEY_MATERIAL_DOES_NOT_EXPIRE, null));
    assertEquals(ErrorCode.INCORRECT_KEY_MATERIAL, e.code());
    KmsKey disabled =
        imported
            .withState(KeyState.DISABLED)
            .importMaterial("f1", ExpirationModel.KEY_MATERIAL_EXPIRES, NOW);
    assertEquals(KeyState.DISABLED, disabled.keyState(), "re-import keeps a Disabled key Disabled");
    assertEquals(NOW, disabled.importState().validTo());
  }

  // AWS KMS API Reference, DeleteImportedKeyMaterial: → PendingImport, unless PendingDeletion;
  // CancelKeyDeletion of a key without material → PendingImport, not Disabled.
  @Test
  void deleteImportedMaterial_andCancelDeletion_stateRules() {
    KmsKey imported =
        external(KeyState.PENDING_IMPORT)
            .importMaterial("f", ExpirationModel.KEY_MATERIAL_DOES_NOT_EXPIRE, null);
    KmsKey deleted = imported.deleteImportedMaterial();
    assertEquals(KeyState.PENDING_IMPORT, deleted.keyState());
    assertFalse(deleted.hasMaterial());
    assertEquals("f", deleted.importState().fingerprint(), "the fingerprint stays");
    KmsKey pending = imported.scheduleDeletion(NOW, 7).deleteImportedMaterial();
    assertEquals(KeyState.PENDING_DELETION, pending.keyState());
    assertEquals(KeyState.PENDING_IMPORT, pending.cancelDeletion().keyState());
    assertEquals(KeyState.DISABLED, imported.scheduleDeletion(NOW, 7).cancelDeletion().keyState());
    assertEquals(KeyState.DISABLED, key(KeyState.PENDING_DELETION).cancelDeletion().keyState());
  }

  // Key-state table [9]/[8]: import operations only for EXTERNAL keys, not while pending deletion;
  // DeleteImportedKeyMaterial in every state.
  @Test
  void requireStateFor_importOperations_originAndStateRules() {
    KmsException unsupported = rejected(KeyState.ENABLED, KmsAction.GET_PARAMETERS_FOR_IMPORT);
    assertEquals(ErrorCode.UNSUPPORTED_OPERATION, unsupported.code());
    assertEquals(
        key(KeyState.ENABLED).arn() + " origin is AWS_KMS which is not valid for this operation.",
        unsupported.getMessage());
    for (KeyState state :
        new KeyState[] {KeyState.PENDING_IMPORT, KeyState.ENABLED, KeyState.DISABLED}) {
      KmsKey k = external(state);
      assertSame(k, k.requireStateFor(KmsAction.IMPORT_KEY_MATERIAL));
      assertSame(k, k.requireStateFor(KmsAction.DELETE_IMPORTED_KEY_MATERIAL));
    }
    KmsException pending =
        assertThrows(
            KmsException.class,
            () ->
                external(KeyState.PENDING_DELETION).requireStateFor(KmsAction.IMPORT_KEY_MATERIAL));
    assertEquals(ErrorCode.KMS_INVALID_STATE, pending.code());
    KmsKey deleting = external(KeyState.PENDING_DELETION);
    assertSame(deleting, deleting.requireStateFor(KmsAction.DELETE_IMPORTED_KEY_MATERIAL));
  }
}
