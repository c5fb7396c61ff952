package dev.keyhaven.kms.operation.unit;

import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.domain.key.KeyMaterialVersion;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.RotationType;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link KeyRepository} in memory, keeping the SQL adapter's contracts: an update fails when the
 * stored revision moved on (optimistic locking) and stores the key with its revision plus one; a
 * key id is inserted once; writes and row locks need a transaction; {@link #destroy} takes the
 * key's material, aliases and grants with it; a version whose wrapped bytes are gone is not found.
 * The import paths (material imported, pending, deleted) are not faked: they fail loudly.
 */
final class InMemoryKeys implements KeyRepository {
  private record MaterialId(UUID keyId, int version) {}

  private record MaterialRow(WrappedKeyMaterial material, RotationType type, Instant createdAt) {}

  private final InMemoryDatabase database;
  private final InMemoryAliases aliases;
  private final InMemoryGrants grants;
  private final Map<UUID, KmsKey> keys;
  private final Map<MaterialId, MaterialRow> materials;

  InMemoryKeys(InMemoryDatabase database, InMemoryAliases aliases, InMemoryGrants grants) {
    this.database = database;
    this.aliases = aliases;
    this.grants = grants;
    this.keys = database.table();
    this.materials = database.table();
  }

  @Override
  public Uni<Optional<KmsKey>> findById(UUID keyId) {
    return Uni.createFrom().item(Optional.ofNullable(keys.get(keyId)));
  }

  @Override
  public Uni<Optional<KmsKey>> findByIdForUpdate(UUID keyId) {
    database.requireTransaction("SELECT … FOR UPDATE");
    return findById(keyId);
  }

  @Override
  public Uni<Void> insert(KmsKey key, WrappedKeyMaterial firstVersion) {
    database.requireTransaction("insert");
    if (keys.containsKey(key.keyId())) {
      throw new IllegalStateException("duplicate key id " + key.keyId());
    }
    keys.put(key.keyId(), key);
    if (firstVersion != null) {
      putMaterial(key, firstVersion, null, key.creationDate());
    }
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<KmsKey> update(KmsKey key) {
    database.requireTransaction("update");
    KmsKey stored = keys.get(key.keyId());
    if (stored == null || stored.revision() != key.revision()) {
      return Uni.createFrom()
          .failure(
              new IllegalStateException(
                  "concurrent update of " + key.keyId() + " (revision moved)"));
    }
    KmsKey next = nextRevision(key);
    keys.put(key.keyId(), next);
    return Uni.createFrom().item(next);
  }

  @Override
  public Uni<KmsKey> addVersion(
      KmsKey rotated, WrappedKeyMaterial newVersion, RotationType type, Instant rotationDate) {
    database.requireTransaction("addVersion");
    putMaterial(rotated, newVersion, type, rotationDate);
    return update(rotated);
  }

  @Override
  public Uni<List<KeyMaterialVersion>> listVersions(
      UUID keyId, int afterVersion, boolean rotationsOnly, int limit) {
    return Uni.createFrom()
        .item(
            materials.entrySet().stream()
                .filter(e -> e.getKey().keyId().equals(keyId))
                .filter(e -> e.getKey().version() > afterVersion)
                .filter(e -> !rotationsOnly || e.getValue().type() != null)
                .sorted(Comparator.comparingInt(e -> e.getKey().version()))
                .limit(limit)
                .map(
                    e ->
                        new KeyMaterialVersion(
                            e.getKey().version(),
                            e.getValue().material().keyMaterialId(),
                            e.getValue().type(),
                            e.getValue().createdAt(),
                            e.getValue().material().wrapped() != null,
                            null))
                .toList());
  }

  @Override
  public Uni<Void> destroy(UUID keyId) {
    database.requireTransaction("destroy");
    materials.keySet().removeIf(id -> id.keyId().equals(keyId));
    aliases.deleteForKey(keyId);
    grants.deleteForKey(keyId);
    keys.remove(keyId);
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Optional<WrappedKeyMaterial>> findMaterial(UUID keyId, int version) {
    MaterialRow row = materials.get(new MaterialId(keyId, version));
    return Uni.createFrom()
        .item(Optional.ofNullable(row).map(MaterialRow::material).filter(m -> m.wrapped() != null));
  }

  @Override
  public Uni<List<KmsKey>> list(String accountId, String region, UUID afterKeyId, int limit) {
    return Uni.createFrom()
        .item(
            keys.values().stream()
                .filter(k -> k.accountId().equals(accountId) && k.arn().region().equals(region))
                .filter(k -> afterKeyId == null || k.keyId().compareTo(afterKeyId) > 0)
                .sorted(Comparator.comparing(KmsKey::keyId))
                .limit(limit)
                .toList());
  }

  @Override
  public Uni<KmsKey> putImportedMaterial(
      KmsKey key, WrappedKeyMaterial material, String fingerprint) {
    throw notFaked();
  }

  @Override
  public Uni<KmsKey> putPendingMaterial(
      KmsKey key, WrappedKeyMaterial pending, String fingerprint) {
    throw notFaked();
  }

  @Override
  public Uni<KmsKey> promotePendingMaterial(KmsKey rotated, Instant rotationDate) {
    throw notFaked();
  }

  @Override
  public Uni<Void> deletePendingMaterial(KmsKey key) {
    throw notFaked();
  }

  @Override
  public Uni<KmsKey> deleteImportedMaterial(KmsKey key, Integer version) {
    throw notFaked();
  }

  private void putMaterial(
      KmsKey key, WrappedKeyMaterial material, RotationType type, Instant createdAt) {
    MaterialId id = new MaterialId(key.keyId(), material.version());
    if (materials.containsKey(id)) {
      throw new IllegalStateException("duplicate material " + id);
    }
    materials.put(id, new MaterialRow(material, type, createdAt));
  }

  private static UnsupportedOperationException notFaked() {
    return new UnsupportedOperationException("imported material is not faked: use the SQL tests");
  }

  /** {@code key} as the repository stores it: the next revision. */
  private static KmsKey nextRevision(KmsKey key) {
    return new KmsKey(
        key.arn(),
        key.keySpec(),
        key.keyUsage(),
        key.origin(),
        key.keyState(),
        key.description(),
        key.creationDate(),
        key.deletionDate(),
        key.pendingDeletionWindowInDays(),
        key.currentVersion(),
        key.currentKeyMaterialId(),
        key.rotation(),
        key.policy(),
        key.tags(),
        key.importState(),
        key.revision() + 1);
  }
}
