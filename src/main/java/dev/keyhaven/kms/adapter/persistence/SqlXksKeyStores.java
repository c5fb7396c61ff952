package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.xks.XksKeyStore;
import dev.keyhaven.kms.domain.xks.XksKeyUsage;
import dev.keyhaven.kms.operation.port.XksKeyStoreRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@link XksKeyStoreRepository}: writes as native statements in the current Hibernate Reactive
 * session (so they join the operation's transaction), reads as prepared statements on the reactive
 * pool (the XKS data path opens no session, like every read-only request).
 */
@ApplicationScoped
public class SqlXksKeyStores implements XksKeyStoreRepository {
  private static final String STORE_COLUMNS =
      "select store_id, account_id, name, principal_arn, creation_date from xks_key_store";

  /** The advisory lock class of "one account's key stores" ("xs" in ASCII). */
  private final Mutiny.SessionFactory sessions;

  private final Pool pool;

  SqlXksKeyStores(Mutiny.SessionFactory sessions, Pool pool) {
    this.sessions = sessions;
    this.pool = pool;
  }

  @Override
  public Uni<Void> insert(XksKeyStore store) {
    return update(
            "insert into xks_key_store (store_id, account_id, name, uri_prefix, principal_arn,"
                + " creation_date) values (?1, ?2, ?3, ?4, ?5, ?6)",
            store.storeId(),
            store.accountId(),
            store.name(),
            store.uriPrefix(),
            store.principalArn(),
            OffsetDateTime.ofInstant(store.creationDate(), ZoneOffset.UTC))
        .replaceWithVoid();
  }

  @Override
  public Uni<Void> lockAccount(String accountId) {
    return AdvisoryLocks.lockForTransaction(sessions, AdvisoryLocks.XKS_KEY_STORES, accountId);
  }

  @Override
  public Uni<Boolean> lock(UUID storeId, boolean exclusive) {
    return sessions.withSession(
        s ->
            s.createNativeQuery(
                    "select 1 from xks_key_store where store_id = ?1"
                        + (exclusive ? " for update" : " for share"),
                    Integer.class)
                .setParameter(1, storeId)
                .getResultList()
                .map(rows -> !rows.isEmpty()));
  }

  @Override
  public Uni<Optional<XksKeyStore>> byName(String accountId, String name) {
    return first(
        STORE_COLUMNS + " where account_id = $1 and name = $2",
        Tuple.of(accountId, name),
        SqlXksKeyStores::store);
  }

  @Override
  public Uni<Optional<XksKeyStore>> byUriPrefix(String uriPrefix) {
    return first(
        STORE_COLUMNS + " where uri_prefix = $1", Tuple.of(uriPrefix), SqlXksKeyStores::store);
  }

  @Override
  public Uni<List<XksKeyStore>> list(String accountId) {
    return all(
        STORE_COLUMNS + " where account_id = $1 order by name",
        Tuple.of(accountId),
        SqlXksKeyStores::store);
  }

  @Override
  public Uni<Boolean> delete(UUID storeId) {
    return update(
            "delete from xks_key_store s where store_id = ?1"
                + " and not exists (select 1 from xks_key k where k.store_id = s.store_id)",
            storeId)
        .map(count -> count > 0);
  }

  @Override
  public Uni<Void> insertKey(XksKey key) {
    return update(
            "insert into xks_key (key_id, store_id, key_usage) values (?1, ?2, ?3)",
            key.keyId(),
            key.storeId(),
            XksKeyUsage.format(key.usage()))
        .replaceWithVoid();
  }

  @Override
  public Uni<Optional<XksKey>> key(UUID keyId) {
    return first(
        "select key_id, store_id, key_usage from xks_key where key_id = $1",
        Tuple.of(keyId),
        SqlXksKeyStores::key);
  }

  @Override
  public Uni<List<XksKey>> keys(UUID storeId) {
    return all(
        "select key_id, store_id, key_usage from xks_key where store_id = $1 order by key_id",
        Tuple.of(storeId),
        SqlXksKeyStores::key);
  }

  private Uni<Integer> update(String sql, Object... parameters) {
    return sessions.withSession(
        s -> {
          var query = s.createNativeQuery(sql);
          for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
          }
          return query.executeUpdate();
        });
  }

  private <T> Uni<Optional<T>> first(String sql, Tuple parameters, Function<Row, T> map) {
    return all(sql, parameters, map).map(rows -> rows.stream().findFirst());
  }

  private <T> Uni<List<T>> all(String sql, Tuple parameters, Function<Row, T> map) {
    return pool.preparedQuery(sql)
        .execute(parameters)
        .map(
            (RowSet<Row> rows) -> {
              List<T> out = new ArrayList<>();
              rows.forEach(row -> out.add(map.apply(row)));
              return out;
            });
  }

  private static XksKeyStore store(Row row) {
    Instant created = row.getOffsetDateTime("creation_date").toInstant();
    return new XksKeyStore(
        row.getUUID("store_id"),
        row.getString("account_id"),
        row.getString("name"),
        row.getString("principal_arn"),
        created);
  }

  private static XksKey key(Row row) {
    return new XksKey(
        row.getUUID("key_id"),
        row.getUUID("store_id"),
        XksKeyUsage.ofStored(row.getString("key_usage")));
  }
}
