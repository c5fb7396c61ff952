package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.RotationType;
import dev.keyhaven.kms.operation.port.KeyMaterialCrypto;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * New versions of key material: CreateKey's first version and every rotation's (RotateKeyOnDemand
 * and the maintenance job share {@link #rotate}). Material is drawn from the FIPS DRBG and wrapped
 * under the root key at once; the plaintext is wiped before anything is stored.
 */
@ApplicationScoped
public class KeyMaterials {
  private final KeyMaterialCrypto crypto;
  private final KeyRepository keys;

  KeyMaterials(KeyMaterialCrypto crypto, KeyRepository keys) {
    this.crypto = crypto;
    this.keys = keys;
  }

  /** A fresh KeyMaterialId: 64 hex characters, random (not derived from the material). */
  public String newKeyMaterialId() {
    return HexFormat.of().formatHex(crypto.randomBytes(32));
  }

  /** Version {@code version} of the key's material, generated and wrapped. */
  public WrappedKeyMaterial generate(UUID keyId, int version, String keyMaterialId) {
    SecretBytes material = crypto.newSymmetricMaterial();
    try {
      return crypto.wrap(keyId, version, keyMaterialId, material);
    } finally {
      material.wipe();
    }
  }

  /**
   * Rotates {@code key}, whose row the caller's transaction holds locked: a new material version
   * becomes current (Encrypt uses it from the commit on, on every instance: there is no metadata
   * cache), every earlier version keeps decrypting.
   *
   * @return the key as stored
   */
  public Uni<KmsKey> rotate(KmsKey key, RotationType type, Instant now) {
    KmsKey rotated = key.rotate(newKeyMaterialId(), type, now);
    WrappedKeyMaterial material =
        generate(rotated.keyId(), rotated.currentVersion(), rotated.currentKeyMaterialId());
    return keys.addVersion(rotated, material, type, now);
  }
}
