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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Supplier;

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
   * BEGIN and the head lock sent together (one round trip); the head once both are answered.
   */
  Uni<ChainHead> begin() {
    Uni<Void> begin = connection.query("BEGIN").execute().replaceWithVoid();
    return Uni.combine()
        .all()
        .unis(begin, lockHead())
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
    for (Supplier<Uni<Void>> statement : statements(plan)) {
      sent.add(statement.get());
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
  public Uni<ChainHead> lockHead() {
    return connection.query(LOCK_HEAD).execute().map(rows -> head(rows.iterator().next()));
  }

  @Override
  public Uni<Void> execute(String sql, Object[] parameters) {
    return connection.preparedQuery(sql).execute(tuple(parameters)).replaceWithVoid();
  }

  /**
   * Every row in one {@link #INSERT_EVENTS} statement (one Bind/Execute however large the batch),
   * its twelve parameters the columns as arrays.
   */
  @Override
  public Uni<Void> insertEvents(List<ChainAppend.Row> rows) {
    int n = rows.size();
    Object[][] columns = {
      new Long[n], new OffsetDateTime[n], new String[n], new String[n], new String[n],
      new String[n], new String[n], new String[n], new String[n], new String[n], new String[n],
      new Buffer[n]
    };
    for (int i = 0; i < n; i++) {
      Object[] row = ChainSql.eventRow(rows.get(i));
      for (int c = 0; c < row.length; c++) {
        columns[c][i] = row[c] instanceof byte[] bytes ? Buffer.buffer(bytes) : row[c];
      }
    }
    return connection
        .preparedQuery(INSERT_EVENTS)
        .execute(tuple(columns))
        .replaceWithVoid();
  }

  static ChainHead head(Row row) {
    var signature = row.getBuffer(3);
    return new ChainHead(
        row.getLong(0),
        row.getBuffer(1).getBytes(),
        row.getLong(2),
        signature == null ? null : signature.getBytes(),
        row.getOffsetDateTime(4).toInstant());
  }

  private static Tuple tuple(Object[] values) {
    Tuple tuple = Tuple.tuple();
    for (Object v : values) {
      tuple.addValue(v instanceof byte[] bytes ? Buffer.buffer(bytes) : v);
    }
    return tuple;
  }
}
