package dev.keyhaven.kms.domain.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * ImportKeyMaterial's placement rules for keys with several imported materials (AWS KMS Developer
 * Guide, "Import key material" and "Rotate keys on demand"; API Reference, ImportKeyMaterial).
 */
class ImportedMaterialsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final ImportState HELD =
      new ImportState("fp1", ExpirationModel.KEY_MATERIAL_DOES_NOT_EXPIRE, null);

  private static KmsKey key(
      KeySpec spec, KeyState state, int currentVersion, ImportState imported) {
    return new KmsKey(
        new KeyArn(
            "aws",
            "us-east-1",
            "111122223333",
            UUID.fromString("1234abcd-12ab-34cd-56ef-1234567890ab")),
        spec,
        spec == KeySpec.SYMMETRIC_DEFAULT ? KeyUsage.ENCRYPT_DECRYPT : KeyUsage.GENERATE_VERIFY_MAC,
        Origin.EXTERNAL,
        state,
        "",
        NOW,
        null,
        null,
        currentVersion,
        "m" + currentVersion,
        Rotation.NONE,
        "{}",
        Map.of(),
        imported,
        0);
  }

  private static KeyMaterialVersion version(int version, boolean imported, String fingerprint) {
    return new KeyMaterialVersion(version, "m" + version, null, NOW, imported, fingerprint);
  }

  private static ImportedMaterials.Target target(
      KmsKey key, List<KeyMaterialVersion> versions, String fingerprint, boolean newMaterial) {
    return ImportedMaterials.target(key, versions, fingerprint, newMaterial, null, () -> "fresh");
  }

  private static ErrorCode refused(
      KmsKey key, List<KeyMaterialVersion> versions, String fingerprint, boolean newMaterial) {
    return assertThrows(KmsException.class, () -> target(key, versions, fingerprint, newMaterial))
        .code();
  }

  @Test
  void target_firstImport_becomesCurrentWhateverTheImportType() {
    KmsKey fresh = key(KeySpec.SYMMETRIC_DEFAULT, KeyState.PENDING_IMPORT, 1, null);
    for (boolean newMaterial : new boolean[] {false, true}) {
      ImportedMaterials.Target t = target(fresh, List.of(), "fp1", newMaterial);
      assertEquals(new ImportedMaterials.Target(1, "m1", false, false, true), t);
    }
  }

  @Test
  void target_newMaterial_stagedAsTheNextVersionPendingRotation() {
    KmsKey key = key(KeySpec.SYMMETRIC_DEFAULT, KeyState.ENABLED, 1, HELD);
    ImportedMaterials.Target t = target(key, List.of(version(1, true, "fp1")), "fp2", true);
    assertEquals(new ImportedMaterials.Target(2, "fresh", true, false, false), t);
  }

  @Test
  void target_newMaterial_refusedWithAwsErrors() {
    KmsKey key = key(KeySpec.SYMMETRIC_DEFAULT, KeyState.ENABLED, 1, HELD);
    // A second material pending rotation.
    assertEquals(
        ErrorCode.KMS_INVALID_STATE,
        refused(key, List.of(version(1, true, "fp1"), version(2, true, "fp2")), "fp3", true));
    // Material the key already has (the first one's fingerprint is also on the key).
    assertEquals(
        ErrorCode.INCORRECT_KEY_MATERIAL,
        refused(key, List.of(version(1, true, null)), "fp1", true));
    // A key whose material is deleted.
    KmsKey pendingImport =
        key(KeySpec.SYMMETRIC_DEFAULT, KeyState.PENDING_IMPORT, 1, HELD.withoutMaterial());
    assertEquals(
        ErrorCode.KMS_INVALID_STATE,
        refused(pendingImport, List.of(version(1, false, "fp1")), "fp2", true));
    // Asymmetric and HMAC keys keep their first material.
    KmsKey hmac = key(KeySpec.HMAC_256, KeyState.ENABLED, 1, HELD);
    assertEquals(
        ErrorCode.UNSUPPORTED_OPERATION,
        refused(hmac, List.of(version(1, true, "fp1")), "fp2", true));
  }

  @Test
  void target_existingMaterial_restoresItsVersionAndCompletesTheKeyOnlyWithAllMaterial() {
    KmsKey key = key(KeySpec.SYMMETRIC_DEFAULT, KeyState.PENDING_IMPORT, 2, HELD.withoutMaterial());
    List<KeyMaterialVersion> bothDeleted =
        List.of(version(1, false, "fp1"), version(2, false, "fp2"));
    ImportedMaterials.Target second = target(key, bothDeleted, "fp2", false);
    assertEquals(2, second.version());
    assertEquals("m2", second.keyMaterialId());
    assertFalse(second.completesKey());
    ImportedMaterials.Target first =
        target(key, List.of(version(1, false, "fp1"), version(2, true, "fp2")), "fp1", false);
    assertEquals(1, first.version());
    assertTrue(first.completesKey());
    assertEquals(ErrorCode.INCORRECT_KEY_MATERIAL, refused(key, bothDeleted, "other", false));
    // KeyMaterialId must name the material imported.
    assertThrows(
        KmsException.class,
        () -> ImportedMaterials.target(key, bothDeleted, "fp2", false, "m1", () -> "fresh"));
  }

  @Test
  void target_firstMaterialDeletedBeforeSchemaV8_recognisedByTheKeysFingerprint() {
    KmsKey key = key(KeySpec.SYMMETRIC_DEFAULT, KeyState.PENDING_IMPORT, 1, HELD.withoutMaterial());
    assertEquals(
        new ImportedMaterials.Target(1, "m1", false, false, true),
        target(key, List.of(), "fp1", false));
  }
}
