package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeyMaterialVersion;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.RotationType;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@link KeyRepository} on Hibernate Reactive. Joins the caller's session and transaction; inside
 * read-only work the key and material reads are plain statements on the pool ({@link PoolReads}).
 */
@ApplicationScoped
public class HibernateKeyRepository implements KeyRepository {
  private final Mutiny.SessionFactory sessions;
  private final PoolReads poolReads;
  private final String partition;

  HibernateKeyRepository(Mutiny.SessionFactory sessions, PoolReads poolReads, KmsConfig config) {
    this.sessions = sessions;
    this.poolReads = poolReads;
    this.partition = config.partition();
  }

  @Override
  public Uni<Optional<KmsKey>> findById(UUID keyId) {
    if (UnitOfWork.readOnly()) {
      return poolReads.key(keyId);
    }
    return sessions.withSession(
        s -> s.find(KeyEntity.class, keyId).map(e -> Optional.ofNullable(e).map(this::toDomain)));
  }

  @Override
  public Uni<Optional<KmsKey>> findByIdForUpdate(UUID keyId) {
    return sessions.withSession(
        s ->
            s.find(KeyEntity.class, keyId, LockModeType.PESSIMISTIC_WRITE)
                .map(e -> Optional.ofNullable(e).map(this::toDomain)));
  }

  @Override
  public Uni<Void> insert(KmsKey key, WrappedKeyMaterial firstVersion) {
    KeyEntity entity = KeyMapper.copy(key, new KeyEntity());
    if (firstVersion == null) {
      return sessions.withSession(s -> s.persist(entity).chain(s::flush));
    }
    KeyMaterialEntity material = materialRow(key, firstVersion, null, key.creationDate());
    return sessions.withSession(
        s -> s.persist(entity).chain(() -> s.persist(material)).chain(s::flush));
  }

  @Override
  public Uni<KmsKey> putImportedMaterial(
      KmsKey key, WrappedKeyMaterial material, String fingerprint) {
    return sessions.withSession(
        s ->
            materialQuery(s, key.keyId(), material.version())
                .chain(
                    existing -> {
                      if (existing == null) {
                        KeyMaterialEntity row =
                            materialRow(key, material, null, key.creationDate());
                        row.importFingerprint = fingerprint;
                        return s.persist(row);
                      }
                      // Re-import into the row that kept its identity (managed: flushed below).
                      existing.wrapped = material.wrapped();
                      existing.publicKey = material.publicKey();
                      if (existing.importFingerprint == null) {
                        existing.importFingerprint = fingerprint;
                      }
                      return Uni.createFrom().voidItem();
                    })
                .chain(() -> update(key)));
  }

  @Override
  public Uni<KmsKey> putPendingMaterial(
      KmsKey key, WrappedKeyMaterial pending, String fingerprint) {
    // Its rotation date and type are set when RotateKeyOnDemand makes it current.
    KeyMaterialEntity row = materialRow(key, pending, null, key.creationDate());
    row.importFingerprint = fingerprint;
    return sessions.withSession(s -> s.persist(row).chain(() -> update(key)));
  }

  @Override
  public Uni<KmsKey> promotePendingMaterial(KmsKey rotated, Instant rotationDate) {
    return sessions.withSession(
        s ->
            s.createMutationQuery(
                    "update KeyMaterialEntity set rotationType = :type, createdAt = :date"
                        + " where keyId = :keyId and version = :version")
                .setParameter("type", RotationType.ON_DEMAND.wireName())
                .setParameter("date", rotationDate)
                .setParameter("keyId", rotated.keyId())
                .setParameter("version", rotated.currentVersion())
                .executeUpdate()
                .chain(() -> update(rotated)));
  }

  @Override
  public Uni<Void> deletePendingMaterial(KmsKey key) {
    return sessions.withSession(s -> deletePending(s, key).replaceWithVoid());
  }

  @Override
  public Uni<KmsKey> deleteImportedMaterial(KmsKey key, Integer version) {
    String which = version == null ? "" : " and version = :version";
    return sessions.withSession(
        s -> {
          var wipe =
              s.createMutationQuery(
                      "update KeyMaterialEntity set wrapped = null where keyId = :keyId" + which)
                  .setParameter("keyId", key.keyId());
          if (version != null) {
            wipe.setParameter("version", version);
          }
          return wipe.executeUpdate()
              .chain(() -> version == null ? deletePending(s, key) : Uni.createFrom().item(0))
              .chain(() -> update(key));
        });
  }

  private static Uni<Integer> deletePending(Mutiny.Session s, KmsKey key) {
    return s.createMutationQuery(
            "delete from KeyMaterialEntity where keyId = :keyId and version > :current")
        .setParameter("keyId", key.keyId())
        .setParameter("current", key.currentVersion())
        .executeUpdate();
  }

  private static Uni<KeyMaterialEntity> materialQuery(Mutiny.Session s, UUID keyId, int version) {
    return s.createSelectionQuery(
            "from KeyMaterialEntity where keyId = :keyId and version = :version",
            KeyMaterialEntity.class)
        .setParameter("keyId", keyId)
        .setParameter("version", version)
        .getSingleResultOrNull();
  }

  @Override
  public Uni<KmsKey> addVersion(
      KmsKey rotated, WrappedKeyMaterial newVersion, RotationType type, Instant rotationDate) {
    KeyMaterialEntity material = materialRow(rotated, newVersion, type, rotationDate);
    return sessions.withSession(s -> s.persist(material).chain(() -> update(rotated)));
  }

  @Override
  public Uni<List<KeyMaterialVersion>> listVersions(
      UUID keyId, int afterVersion, boolean rotationsOnly, int limit) {
    return sessions.withSession(
        s ->
            s.createSelectionQuery(
                    "from KeyMaterialEntity where keyId = :keyId and version > :after"
                        + (rotationsOnly ? " and rotationType is not null" : "")
                        + " order by version",
                    KeyMaterialEntity.class)
                .setParameter("keyId", keyId)
                .setParameter("after", afterVersion)
                .setMaxResults(limit)
                .getResultList()
                .map(
                    rows ->
                        rows.stream()
                            .map(
                                m ->
                                    new KeyMaterialVersion(
                                        m.version,
                                        m.keyMaterialId,
                                        AwsEnum.fromWire(RotationType.class, m.rotationType),
                                        m.createdAt,
                                        m.wrapped != null,
                                        m.importFingerprint))
                            .toList()));
  }

  @Override
  public Uni<Void> destroy(UUID keyId) {
    return sessions.withSession(
        s ->
            deleteWhere(s, "KeyMaterialEntity", "keyId", keyId)
                .chain(() -> deleteWhere(s, "AliasEntity", "targetKeyId", keyId))
                .chain(() -> deleteWhere(s, "GrantEntity", "keyId", keyId))
                .chain(
                    () ->
                        s.createNativeQuery("delete from key_last_usage where key_id = ?1")
                            .setParameter(1, keyId)
                            .executeUpdate())
                .chain(() -> s.find(KeyEntity.class, keyId))
                .chain(key -> key == null ? Uni.createFrom().voidItem() : s.remove(key))
                .chain(s::flush));
  }

  private static Uni<Integer> deleteWhere(
      Mutiny.Session s, String entity, String column, UUID keyId) {
    return s.createMutationQuery("delete from " + entity + " where " + column + " = :keyId")
        .setParameter("keyId", keyId)
        .executeUpdate();
  }

  private static KeyMaterialEntity materialRow(
      KmsKey key, WrappedKeyMaterial version, RotationType type, Instant createdAt) {
    KeyMaterialEntity material = new KeyMaterialEntity();
    material.keyMaterialId = version.keyMaterialId();
    material.keyId = key.keyId();
    material.version = version.version();
    material.wrapped = version.wrapped();
    material.publicKey = version.publicKey();
    material.createdAt = createdAt;
    material.rotationType = type == null ? null : type.wireName();
    return material;
  }

  @Override
  public Uni<KmsKey> update(KmsKey key) {
    return sessions.withSession(
        s ->
            s.find(KeyEntity.class, key.keyId())
                .chain(
                    entity -> {
                      if (entity == null || entity.revision != key.revision()) {
                        return Uni.createFrom()
                            .failure(
                                new IllegalStateException(
                                    "concurrent update of " + key.keyId() + " (revision moved)"));
                      }
                      KeyMapper.copy(key, entity);
                      return s.flush().map(ignored -> toDomain(entity));
                    }));
  }

  @Override
  public Uni<Optional<WrappedKeyMaterial>> findMaterial(UUID keyId, int version) {
    if (UnitOfWork.readOnly()) {
      return poolReads.material(keyId, version);
    }
    return sessions.withSession(
        s ->
            materialQuery(s, keyId, version)
                .map(
                    e ->
                        Optional.ofNullable(e)
                            .filter(m -> m.wrapped != null)
                            .map(
                                m ->
                                    new WrappedKeyMaterial(
                                        m.version, m.keyMaterialId, m.wrapped, m.publicKey))));
  }

  @Override
  public Uni<List<KmsKey>> list(String accountId, String region, UUID afterKeyId, int limit) {
    String after = afterKeyId == null ? "" : " and keyId > :after";
    return sessions.withSession(
        s -> {
          var query =
              s.createSelectionQuery(
                      "from KeyEntity where accountId = :account and region = :region"
                          + after
                          + " order by keyId",
                      KeyEntity.class)
                  .setParameter("account", accountId)
                  .setParameter("region", region)
                  .setMaxResults(limit);
          if (afterKeyId != null) {
            query.setParameter("after", afterKeyId);
          }
          return query.getResultList().map(rows -> rows.stream().map(this::toDomain).toList());
        });
  }

  private KmsKey toDomain(KeyEntity e) {
    return KeyMapper.toDomain(e, partition);
  }
}
