package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.audit.ChainHead;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

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
   * BEGIN and the head lock sent together (one round trip); the head once both are answered,
   * null if {@code owner} no longer holds the chain's lease.
   */
  Uni<ChainHead> begin(long chainId, String owner) {
    Uni<Void> begin = connection.query("BEGIN").execute().replaceWithVoid();
    return Uni.combine()
        .all()
        .unis(begin, lockHead(chainId, owner))
        .collectFailures()
        .asTuple()
        .onFailure(CompositeException.class)
        .transform(PoolChainSql::first)
        .map(Tuple2::getItem2);
  }

  /**
   * The plan's statements and COMMIT sent together (one round trip). Completes once every one
   * has been answered; fails if any failed — a COMMIT after a failed statement is answered as a
   * rollback, so then nothing was written.
   */
  Uni<Void> writeAndCommit(ChainAppend.Plan plan) {
    List<Uni<Void>> sent = new ArrayList<>();
    for (ChainSql.Statement statement : ChainSql.statements(plan)) {
      sent.add(execute(statement.sql(), statement.rows()));
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
