package dev.keyhaven.kms.domain.key;

import java.time.Instant;

/**
 * What a key with imported material (Origin EXTERNAL) knows about it, besides the material itself
 * (stored wrapped like every version).
 *
 * @param fingerprint a keyed fingerprint of the first material imported (of the public key, for key
 *     pairs), kept after the material is deleted or expires: AWS KMS lets a key be re-imported only
 *     with that same material (IncorrectKeyMaterialException otherwise), and the fingerprint
 *     recognises it without keeping the material
 * @param expirationModel how the current material expires; null while the key has none
 * @param validTo when it expires (KEY_MATERIAL_EXPIRES), else null
 */
public record ImportState(String fingerprint, ExpirationModel expirationModel, Instant validTo) {

  /** Whether the key holds imported material now. */
  public boolean hasMaterial() {
    return expirationModel != null;
  }

  /** After DeleteImportedKeyMaterial or expiry: the fingerprint stays, the material is gone. */
  public ImportState withoutMaterial() {
    return new ImportState(fingerprint, null, null);
  }
}
