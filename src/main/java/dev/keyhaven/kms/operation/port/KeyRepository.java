package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.domain.key.KeyMaterialVersion;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.RotationType;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stored KMS keys and their wrapped material versions.
 *
 * <p>Reads see every committed write (read-your-writes across instances: there is no metadata
 * cache, so a DisableKey committed on one instance stops use everywhere at once). Updates use
 * optimistic locking: {@link #update} fails with a conflict when the stored revision moved on.
 */
public interface KeyRepository {

  Uni<Optional<KmsKey>> findById(UUID keyId);

  /**
   * As {@link #findById}, holding a row lock until the surrounding transaction ends, so that a
   * read-check-write of one key is never interleaved with another writer (no lost updates).
   */
  Uni<Optional<KmsKey>> findByIdForUpdate(UUID keyId);

  /**
   * Stores a new key with its first material version ({@code null} for a key created with Origin
   * EXTERNAL, which has none until ImportKeyMaterial).
   */
  Uni<Void> insert(KmsKey key, WrappedKeyMaterial firstVersion);

  /**
   * ImportKeyMaterial of material associated with the key (the first import, or a re-import):
   * stores {@code material} as its version, with the material's keyed {@code fingerprint}, and
   * {@code key}, as {@link #update} does, in the caller's transaction.
   */
  Uni<KmsKey> putImportedMaterial(KmsKey key, WrappedKeyMaterial material, String fingerprint);

  /**
   * ImportKeyMaterial with ImportType NEW_KEY_MATERIAL: stores {@code pending} — version {@code
   * key.currentVersion() + 1}, unused until RotateKeyOnDemand — with its {@code fingerprint}, and
   * {@code key}, in the caller's transaction.
   */
  Uni<KmsKey> putPendingMaterial(KmsKey key, WrappedKeyMaterial pending, String fingerprint);

  /**
   * RotateKeyOnDemand of an EXTERNAL key: the material pending rotation becomes {@code rotated}'s
   * current version (RotationType ON_DEMAND, RotationDate {@code rotationDate}); stores {@code
   * rotated} as {@link #update} does, in the caller's transaction.
   */
  Uni<KmsKey> promotePendingMaterial(KmsKey rotated, Instant rotationDate);

  /**
   * DeleteImportedKeyMaterial of the material pending rotation: deletes it for good (it was never
   * associated with the key), in the caller's transaction.
   */
  Uni<Void> deletePendingMaterial(KmsKey key);

  /**
   * DeleteImportedKeyMaterial and expiry: deletes the wrapped bytes of the key's imported material
   * — of version {@code version}, or of every version (and the material pending rotation) when
   * {@code version} is null — keeping what identifies it, and stores {@code key}, in the caller's
   * transaction.
   */
  Uni<KmsKey> deleteImportedMaterial(KmsKey key, Integer version);

  /**
   * Stores {@code key}'s metadata if the stored revision still equals {@code key.revision()}.
   *
   * @return the key with its new revision
   */
  Uni<KmsKey> update(KmsKey key);

  /**
   * Rotation: stores the new material version and {@code rotated} (whose current version it is), as
   * {@link #update} does, in the caller's transaction.
   *
   * @param rotationDate when the version was made (ListKeyRotations RotationDate)
   * @return the key with its new revision
   */
  Uni<KmsKey> addVersion(
      KmsKey rotated, WrappedKeyMaterial newVersion, RotationType type, Instant rotationDate);

  /**
   * A key's material versions in version order, after {@code afterVersion}, at most {@code limit};
   * {@code rotationsOnly} leaves out the first material and material pending rotation (the versions
   * no rotation made).
   */
  Uni<List<KeyMaterialVersion>> listVersions(
      UUID keyId, int afterVersion, boolean rotationsOnly, int limit);

  /**
   * Deletes the key for good: every wrapped material version, its aliases, its grants, its last use
   * (GetKeyLastUsage) and the key row, in the caller's transaction. Afterwards nothing in the
   * database opens its ciphertexts.
   */
  Uni<Void> destroy(UUID keyId);

  /**
   * The wrapped material of one version, or empty if that version does not exist or its imported
   * material is deleted.
   */
  Uni<Optional<WrappedKeyMaterial>> findMaterial(UUID keyId, int version);

  /**
   * Keys of one account and region ordered by key id, starting after {@code afterKeyId} (keyset
   * pagination), at most {@code limit}.
   */
  Uni<List<KmsKey>> list(String accountId, String region, UUID afterKeyId, int limit);
}
