package dev.keyhaven.kms.domain.key;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where ImportKeyMaterial puts material into a key with imported material, by AWS's rules for
 * several key materials (AWS KMS Developer Guide, "Import key material", "Rotate keys on demand";
 * API Reference, ImportKeyMaterial ImportType and KeyMaterialId):
 *
 * <ul>
 *   <li>The first material imported becomes current and permanently associated with the key,
 *       whatever the ImportType.
 *   <li>ImportType NEW_KEY_MATERIAL (symmetric encryption keys only) stages material for
 *       RotateKeyOnDemand: the version after the current one, KeyMaterialState PENDING_ROTATION. At
 *       most one at a time; only into a key that holds all its material; never material the key
 *       already has.
 *   <li>EXISTING_KEY_MATERIAL (the default) takes only material associated with the key before —
 *       recognised by its keyed fingerprint, and matching KeyMaterialId if given — to restore it
 *       after deletion or expiry or to change its expiration (IncorrectKeyMaterialException
 *       otherwise). The key is usable again once every associated material is imported.
 * </ul>
 */
public final class ImportedMaterials {
  private ImportedMaterials() {}

  /**
   * Where the material goes.
   *
   * @param version its material version
   * @param keyMaterialId its KeyMaterialId
   * @param pendingRotation new material staged for RotateKeyOnDemand
   * @param held the key holds this material already (a re-import that changes only its expiration)
   * @param completesKey once stored, every material associated with the key is imported
   */
  public record Target(
      int version,
      String keyMaterialId,
      boolean pendingRotation,
      boolean held,
      boolean completesKey) {}

  /**
   * @param versions the key's material versions, the one pending rotation included
   * @param fingerprint the keyed fingerprint of the material being imported
   * @param newMaterial ImportType NEW_KEY_MATERIAL
   * @param keyMaterialId the request's KeyMaterialId, or null
   * @param newKeyMaterialId a fresh KeyMaterialId, drawn only for new material
   */
  public static Target target(
      KmsKey key,
      List<KeyMaterialVersion> versions,
      String fingerprint,
      boolean newMaterial,
      String keyMaterialId,
      Supplier<String> newKeyMaterialId) {
    if (key.importState() == null) {
      return new Target(key.currentVersion(), key.currentKeyMaterialId(), false, false, true);
    }
    if (newMaterial) {
      return pendingRotation(key, versions, fingerprint, newKeyMaterialId);
    }
    KeyMaterialVersion match = associated(key, versions, fingerprint);
    if (match == null) {
      throw new KmsException(
          ErrorCode.INCORRECT_KEY_MATERIAL,
          "The key material is not the key material that was previously imported into "
              + key.arn()
              + ".");
    }
    if (keyMaterialId != null && !keyMaterialId.equals(match.keyMaterialId())) {
      throw new KmsException(
          ErrorCode.INCORRECT_KEY_MATERIAL,
          "The key material is not the key material " + keyMaterialId + " of " + key.arn() + ".");
    }
    boolean othersHeld =
        versions.stream()
            .filter(v -> v.version() <= key.currentVersion() && v.version() != match.version())
            .allMatch(KeyMaterialVersion::imported);
    return new Target(match.version(), match.keyMaterialId(), false, match.imported(), othersHeld);
  }

  private static Target pendingRotation(
      KmsKey key,
      List<KeyMaterialVersion> versions,
      String fingerprint,
      Supplier<String> newKeyMaterialId) {
    if (key.keySpec() != KeySpec.SYMMETRIC_DEFAULT) {
      // AWS KMS API Reference, ImportKeyMaterial: asymmetric and HMAC keys keep their first
      // material.
      throw KmsException.unsupported(
          key.arn()
              + " key spec is "
              + key.keySpec().wireName()
              + " which is not valid for ImportType NEW_KEY_MATERIAL.");
    }
    if (!key.hasMaterial()) {
      throw KmsException.invalidState(key.arn() + " is pending import.");
    }
    if (versions.stream().anyMatch(v -> v.version() > key.currentVersion())) {
      throw KmsException.invalidState(
          key.arn()
              + " already has key material pending rotation. Rotate the key with"
              + " RotateKeyOnDemand or delete that key material first.");
    }
    if (associated(key, versions, fingerprint) != null) {
      throw new KmsException(
          ErrorCode.INCORRECT_KEY_MATERIAL,
          "The key material is already associated with "
              + key.arn()
              + "; import it with ImportType EXISTING_KEY_MATERIAL.");
    }
    return new Target(key.currentVersion() + 1, newKeyMaterialId.get(), true, false, false);
  }

  /**
   * The associated version (not the one pending rotation) whose material has {@code fingerprint};
   * the first material's fingerprint is also on the key (keys imported before schema v8 have it
   * only there, and may have lost the version's row when the material was deleted).
   */
  private static KeyMaterialVersion associated(
      KmsKey key, List<KeyMaterialVersion> versions, String fingerprint) {
    boolean first = key.importState().fingerprint().equals(fingerprint);
    for (KeyMaterialVersion v : versions) {
      if (v.version() <= key.currentVersion()
          && (fingerprint.equals(v.importFingerprint()) || (first && v.version() == 1))) {
        return v;
      }
    }
    // Version 1 deleted before schema v8: its row is gone, the key still names it.
    return first && key.currentVersion() == 1
        ? new KeyMaterialVersion(1, key.currentKeyMaterialId(), null, null, false, fingerprint)
        : null;
  }
}
