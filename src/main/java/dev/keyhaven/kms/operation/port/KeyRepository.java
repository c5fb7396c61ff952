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
   * ImportKeyMaterial: stores {@code material} (the version the key names as current) and {@code
   * key}, as {@link #update} does, in the caller's transaction.
   */
  Uni<KmsKey> putImportedMaterial(KmsKey key, WrappedKeyMaterial material);

  /**
   * DeleteImportedKeyMaterial and expiry: deletes every wrapped material version of the key and
   * stores {@code key}, in the caller's transaction.
   */
  Uni<KmsKey> deleteImportedMaterial(KmsKey key);

  /**
   * Stores {@code key}'s metadata if the stored revision still equals {@code key.revision()}.
   *
   * @return the key with its new revision
   */
  Uni<KmsKey> update(KmsKey key);

  /**
   * Rotation: stores the new material version and {@code rotated} (whose current version it is),
   * as {@link #update} does, in the caller's transaction.
   *
   * @param rotationDate when the version was made (ListKeyRotations RotationDate)
   * @return the key with its new revision
   */
  Uni<KmsKey> addVersion(
      KmsKey rotated, WrappedKeyMaterial newVersion, RotationType type, Instant rotationDate);

  /**
   * A key's material versions in version order, after {@code afterVersion}, at most {@code
   * limit}; {@code rotationsOnly} leaves out the first material (version 1).
   */
  Uni<List<KeyMaterialVersion>> listVersions(
      UUID keyId, int afterVersion, boolean rotationsOnly, int limit);

  /**
   * Deletes the key for good: every wrapped material version, its aliases, its grants and the key
   * row, in the caller's transaction. Afterwards nothing in the database opens its ciphertexts.
   */
  Uni<Void> destroy(UUID keyId);

  /** The wrapped material of one version, or empty if that version does not exist. */
  Uni<Optional<WrappedKeyMaterial>> findMaterial(UUID keyId, int version);

  /**
   * Keys of one account and region ordered by key id, starting after {@code afterKeyId} (keyset
   * pagination), at most {@code limit}.
   */
  Uni<List<KmsKey>> list(String accountId, String region, UUID afterKeyId, int limit);
}
