package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.domain.key.AliasName;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.port.AccessKeyRepository.StoredAccessKey;
import dev.keyhaven.kms.operation.port.AliasRepository.Alias;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The single-row reads every cryptographic request makes, as prepared statements on the reactive
 * pool — no Hibernate session, no entity load (docs/performance.md) — through the hot-state cache
 * ({@link HotState}). Used inside read-only work ({@link UnitOfWork}) and for authentication, which
 * precedes any unit of work; each is one statement that reads the row together with its scope's
 * version, so what it returns is one committed snapshot of both.
 */
@ApplicationScoped
class PoolReads {
  /** The scope's version, read in the same statement (snapshot) as the row: $2 is the scope. */
  private static final String VERSION = "(select version from state_version where scope = $2)";

  private static final String KEY =
      "select key_id, account_id, region, key_spec, key_usage, origin, key_state, description,"
          + " creation_date, deletion_date, pending_window_days, current_version,"
          + " current_key_material_id, rotation_period_days, next_rotation_date,"
          + " on_demand_rotations, policy, import_fingerprint, expiration_model, valid_to, tags,"
          + " revision, "
          + VERSION
          + " from kms_key where key_id = $1";
  private static final String MATERIAL =
      "select version, key_material_id, wrapped, public_key, "
          + VERSION
          + " from key_material"
          + " where key_id = $1 and version = $3 and wrapped is not null";
  private static final String ALIAS =
      "select account_id, region, alias_name, target_key_id, creation_date, last_updated_date, "
          + VERSION
          + " from kms_alias where alias_arn = $1";
  private static final String ACCESS_KEY =
      "select access_key_id, account_id, principal_arn, wrapped_secret, create_date, "
          + VERSION
          + " from access_key where access_key_id = $1";

  /** One row whether or not the principal has a policy: its absence is cached too. */
  private static final String IDENTITY_POLICY =
      "select p.policy, p.account_id, p.mac, "
          + VERSION
          + " from (select 1) one"
          + " left join principal_policy p on p.principal_arn = $1";

  private final Pool pool;
  private final HotState hot;
  private final String partition;

  PoolReads(Pool pool, HotState hot, KmsConfig config) {
    this.pool = pool;
    this.hot = hot;
    this.partition = config.partition();
  }

  Uni<Optional<KmsKey>> key(UUID keyId) {
    String scope = "k:" + keyId;
    return hot.read(
        scope,
        scope,
        () -> versioned(KEY, Tuple.of(keyId, scope), 22, this::key),
        Optional::isPresent);
  }

  Uni<Optional<WrappedKeyMaterial>> material(UUID keyId, int version) {
    String scope = "k:" + keyId;
    return hot.read(
        scope,
        scope + "#" + version,
        () ->
            versioned(
                MATERIAL,
                Tuple.of(keyId, scope, version),
                4,
                row ->
                    new WrappedKeyMaterial(
                        row.getInteger(0), row.getString(1), bytes(row, 2), bytes(row, 3))),
        Optional::isPresent);
  }

  Uni<Optional<Alias>> alias(String accountId, String region, AliasName name) {
    String arn = name.storageKey(region, accountId);
    String scope = "a:" + arn;
    return hot.read(
        scope,
        scope,
        () ->
            versioned(
                ALIAS,
                Tuple.of(arn, scope),
                6,
                row ->
                    new Alias(
                        row.getString(0),
                        row.getString(1),
                        new AliasName(row.getString(2)),
                        row.getUUID(3),
                        instant(row, 4),
                        instant(row, 5))),
        Optional::isPresent);
  }

  /** A principal_policy row as stored, its MAC not yet checked. */
  record StoredPolicy(String principalArn, String accountId, String policy, byte[] mac) {}

  /** The principal's stored identity policy, or empty when it has none (both are cached). */
  Uni<Optional<StoredPolicy>> identityPolicy(String principalArn) {
    String scope = "p:" + principalArn;
    return hot.read(
        scope,
        scope,
        () ->
            pool.preparedQuery(IDENTITY_POLICY)
                .execute(Tuple.of(principalArn, scope))
                .map(
                    rows -> {
                      Row row = rows.iterator().next();
                      Long version = row.getLong(3);
                      Optional<StoredPolicy> policy =
                          row.getString(0) == null
                              ? Optional.empty()
                              : Optional.of(
                                  new StoredPolicy(
                                      principalArn,
                                      row.getString(1),
                                      row.getString(0),
                                      bytes(row, 2)));
                      return new HotState.Versioned<>(version == null ? 0 : version, policy);
                    }),
        found -> true);
  }

  Uni<Optional<StoredAccessKey>> accessKey(String accessKeyId) {
    String scope = "c:" + accessKeyId;
    return hot.read(
        scope,
        scope,
        () ->
            versioned(
                ACCESS_KEY,
                Tuple.of(accessKeyId, scope),
                5,
                row ->
                    new StoredAccessKey(
                        row.getString(0),
                        row.getString(1),
                        row.getString(2),
                        bytes(row, 3),
                        instant(row, 4))),
        Optional::isPresent);
  }

  /**
   * The one row {@code sql} finds (if any) mapped, with its scope's version from column {@code
   * versionColumn} (0 when the scope never changed, or no row).
   */
  private <T> Uni<HotState.Versioned<Optional<T>>> versioned(
      String sql, Tuple arguments, int versionColumn, Function<Row, T> mapper) {
    return pool.preparedQuery(sql)
        .execute(arguments)
        .map(
            (RowSet<Row> rows) -> {
              var iterator = rows.iterator();
              if (!iterator.hasNext()) {
                return new HotState.Versioned<>(0, Optional.<T>empty());
              }
              Row row = iterator.next();
              Long version = row.getLong(versionColumn);
              return new HotState.Versioned<>(
                  version == null ? 0 : version, Optional.of(mapper.apply(row)));
            });
  }

  private KmsKey key(Row row) {
    KeyEntity e = new KeyEntity();
    e.keyId = row.getUUID(0);
    e.accountId = row.getString(1);
    e.region = row.getString(2);
    e.keySpec = row.getString(3);
    e.keyUsage = row.getString(4);
    e.origin = row.getString(5);
    e.keyState = row.getString(6);
    e.description = row.getString(7);
    e.creationDate = instant(row, 8);
    e.deletionDate = instant(row, 9);
    e.pendingWindowDays = row.getInteger(10);
    e.currentVersion = row.getInteger(11);
    e.currentKeyMaterialId = row.getString(12);
    e.rotationPeriodDays = row.getInteger(13);
    e.nextRotationDate = instant(row, 14);
    e.onDemandRotations = row.getInteger(15);
    e.policy = row.getString(16);
    e.importFingerprint = row.getString(17);
    e.expirationModel = row.getString(18);
    e.validTo = instant(row, 19);
    e.tags = row.getString(20);
    e.revision = row.getLong(21);
    return KeyMapper.toDomain(e, partition);
  }

  private static Instant instant(Row row, int column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  private static byte[] bytes(Row row, int column) {
    var buffer = row.getBuffer(column);
    return buffer == null ? null : buffer.getBytes();
  }
}
