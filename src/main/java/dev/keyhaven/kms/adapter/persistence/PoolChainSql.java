package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.audit.ChainHead;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;

/** {@link ChainSql} on a Vert.x connection inside {@code Pool.withTransaction}. */
final class PoolChainSql implements ChainSql {
  private final SqlConnection connection;

  PoolChainSql(SqlConnection connection) {
    this.connection = connection;
  }

  @Override
  public Uni<ChainHead> lockHead() {
    return connection.query(LOCK_HEAD).execute().map(rows -> head(rows.iterator().next()));
  }

  @Override
  public Uni<Void> execute(String sql, List<Object[]> rows) {
    List<Tuple> tuples = rows.stream().map(PoolChainSql::tuple).toList();
    return (tuples.size() == 1
            ? connection.preparedQuery(sql).execute(tuples.get(0))
            : connection.preparedQuery(sql).executeBatch(tuples))
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
