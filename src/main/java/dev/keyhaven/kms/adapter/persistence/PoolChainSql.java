package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.operation.port.CachedReads;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link ChainSql} on a Vert.x connection: inside {@code Pool.withTransaction}, or driving its own
 * transaction with {@link #begin} and {@link #writeAndCommit}, whose statements are pipelined.
 */
final class PoolChainSql implements ChainSql {
  private final SqlConnection connection;

  PoolChainSql(SqlConnection connection) {
    this.connection = connection;
  }

  /**
   * Which of {@code relied} moved: the pairs whose scope's version in {@code state_version} (0 when
   * it has no row) is no longer the one relied on.
   */
  private static final String MOVED =
      "SELECT s.scope, s.version FROM unnest($1::varchar[], $2::int8[]) AS s(scope, version)"
          + " WHERE s.version <> coalesce((SELECT v.version FROM state_version v"
          + " WHERE v.scope = s.scope), 0)";

  /** A begun transaction: the locked head (null if the lease is gone) and the moved versions. */
  record Begun(ChainHead head, Set<CachedReads.Dependency> moved) {}

  /**
   * BEGIN, the head lock and — when {@code relied} is not empty — the check of the versions the
   * batch's answers relied on, sent together (one round trip). The check runs after the lock, in
   * the transaction that will write the events, so it sees every change committed before the batch
   * was written.
   */
  Uni<Begun> begin(long chainId, String owner, Collection<CachedReads.Dependency> relied) {
    Uni<Void> begin = connection.query("BEGIN").execute().replaceWithVoid();
    Uni<ChainHead> head = lockHead(chainId, owner);
    Uni<Set<CachedReads.Dependency>> moved =
        relied.isEmpty() ? Uni.createFrom().item(Set.of()) : moved(relied);
    return Uni.combine()
        .all()
        .unis(begin, head, moved)
        .collectFailures()
        .asTuple()
        .onFailure(CompositeException.class)
        .transform(PoolChainSql::first)
        .map(t -> new Begun(t.getItem2(), t.getItem3()));
  }

  private Uni<Set<CachedReads.Dependency>> moved(Collection<CachedReads.Dependency> relied) {
    String[] scopes = new String[relied.size()];
    Long[] versions = new Long[relied.size()];
    int i = 0;
    for (CachedReads.Dependency d : relied) {
      scopes[i] = d.scope();
      versions[i++] = d.version();
    }
    return connection
        .preparedQuery(MOVED)
        .execute(Tuple.of(scopes, versions))
        .map(
            rows -> {
              Set<CachedReads.Dependency> moved = new HashSet<>();
              rows.forEach(
                  r -> moved.add(new CachedReads.Dependency(r.getString(0), r.getLong(1))));
              return moved;
            });
  }

  /**
   * The plan's statements, the keys' last uses its events record (one upsert, only when the batch
   * holds a successful cryptographic operation: {@link PgKeyUsageLog#upsert}) and COMMIT, sent
   * together (one round trip). Completes once every one has been answered; fails if any failed — a
   * COMMIT after a failed statement is answered as a rollback, so then nothing was written.
   *
   * <p>Only group commits carry cryptographic operations (they change no state, so their events are
   * never appended in a state change's transaction), which is why the usage upsert is here and not
   * in {@link ChainSql#statements}.
   */
  Uni<Void> writeAndCommit(ChainAppend.Plan plan) {
    List<Uni<Void>> sent = new ArrayList<>();
    for (ChainSql.Statement statement : ChainSql.statements(plan)) {
      sent.add(execute(statement.sql(), statement.rows()));
    }
    ChainSql.Statement usage =
        PgKeyUsageLog.upsert(plan.rows().stream().map(ChainAppend.Row::event).toList());
    if (usage != null) {
      sent.add(execute(usage.sql(), usage.rows()));
    }
    sent.add(connection.query("COMMIT").execute().replaceWithVoid());
    return Uni.join()
        .all(sent)
        .andCollectFailures()
        .onFailure(CompositeException.class)
        .transform(PoolChainSql::first)
        .replaceWithVoid();
  }

  /** Ends a transaction that failed part-way; a failure to do so is left to the pool. */
  Uni<Void> rollback() {
    return connection.query("ROLLBACK").execute().replaceWithVoid().onFailure().recoverWithNull();
  }

  private static Throwable first(Throwable composite) {
    return ((CompositeException) composite).getCauses().get(0);
  }

  @Override
  public Uni<ChainHead> lockHead(long chainId, String owner) {
    return connection
        .preparedQuery(LOCK_HEAD)
        .execute(Tuple.of(chainId, owner))
        .map(rows -> rows.size() == 0 ? null : head(rows.iterator().next()));
  }

  @Override
  public Uni<Void> execute(String sql, List<Object[]> rows) {
    List<Tuple> tuples = rows.stream().map(PoolChainSql::tuple).toList();
    return (tuples.size() == 1
            ? connection.preparedQuery(sql).execute(tuples.get(0))
            : connection.preparedQuery(sql).executeBatch(tuples))
        .replaceWithVoid();
  }

  /** A head from the columns {@link ChainSql#HEAD_COLUMNS}. */
  static ChainHead head(Row row) {
    var signature = row.getBuffer(4);
    return new ChainHead(
        row.getLong(0),
        row.getLong(1),
        row.getBuffer(2).getBytes(),
        row.getLong(3),
        signature == null ? null : signature.getBytes(),
        row.getOffsetDateTime(5).toInstant());
  }

  private static Tuple tuple(Object[] values) {
    Tuple tuple = Tuple.tuple();
    for (Object v : values) {
      tuple.addValue(v instanceof byte[] bytes ? Buffer.buffer(bytes) : v);
    }
    return tuple;
  }
}
