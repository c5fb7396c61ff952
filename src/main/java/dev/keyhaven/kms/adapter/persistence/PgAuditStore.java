package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.Checkpoint;
import dev.keyhaven.kms.operation.port.AuditStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link AuditStore} on PostgreSQL, read through the reactive pool (no transaction), or, within
 * {@link #inSnapshot}, through one connection in a REPEATABLE READ, READ ONLY transaction.
 */
@ApplicationScoped
public class PgAuditStore implements AuditStore {
  private final Pool connections;
  private final SqlClient pool;

  @Inject
  PgAuditStore(Pool pool) {
    this.connections = pool;
    this.pool = pool;
  }

  private PgAuditStore(Pool connections, SqlConnection snapshot) {
    this.connections = connections;
    this.pool = snapshot;
  }

  @Override
  public <T> Uni<T> inSnapshot(Function<AuditStore, Uni<T>> reads) {
    // The isolation level must be set before the transaction's first query takes its snapshot.
    return connections.withTransaction(
        conn ->
            conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute()
                .chain(() -> reads.apply(new PgAuditStore(connections, conn))));
  }

  @Override
  public Uni<ChainHead> readHead() {
    return pool.query(
            "SELECT last_seq, last_hash, checkpoint_seq, checkpoint_signature, checkpoint_time"
                + " FROM audit_head WHERE id = 1")
        .execute()
        .map(rows -> PoolChainSql.head(rows.iterator().next()));
  }

  @Override
  public Uni<List<StoredRecord>> records(long fromSeq, long toSeq, int limit) {
    return pool.preparedQuery(
            "SELECT seq, hash, convert_to(event_json, 'UTF8') FROM audit_event WHERE seq >= $1"
                + " AND seq <= $2"
                + " ORDER BY seq LIMIT $3")
        .execute(Tuple.of(fromSeq, toSeq, limit))
        .map(
            rows -> {
              List<StoredRecord> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                out.add(
                    new StoredRecord(
                        row.getLong(0),
                        row.getBuffer(1).getBytes(),
                        row.getBuffer(2).getBytes()));
              }
              return out;
            });
  }

  @Override
  public Uni<Optional<byte[]>> hashOf(long seq) {
    return pool.preparedQuery("SELECT hash FROM audit_event WHERE seq = $1")
        .execute(Tuple.of(seq))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getBuffer(0).getBytes()));
  }

  @Override
  public Uni<List<Checkpoint>> checkpoints(long fromSeq, long toSeq) {
    String columns =
        "last_seq, first_seq, head_hash, previous_signature, created_at, signing_key_id, signature";
    return pool.preparedQuery(
            "(SELECT " + columns + " FROM audit_checkpoint WHERE last_seq < $1"
                + " ORDER BY last_seq DESC LIMIT 1) UNION ALL (SELECT " + columns
                + " FROM audit_checkpoint WHERE last_seq >= $1 AND last_seq <= $2)"
                + " ORDER BY last_seq")
        .execute(Tuple.of(fromSeq, toSeq))
        .map(
            rows -> {
              List<Checkpoint> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                out.add(
                    new Checkpoint(
                        row.getLong(1),
                        row.getLong(0),
                        row.getBuffer(2).getBytes(),
                        bytes(row.getBuffer(3)),
                        row.getOffsetDateTime(4).toInstant(),
                        row.getString(5),
                        row.getBuffer(6).getBytes()));
              }
              return out;
            });
  }

  @Override
  public Uni<Map<String, byte[]>> signingKeys() {
    return pool.query("SELECT key_id, public_key FROM audit_signing_key ORDER BY created_at")
        .execute()
        .map(
            rows -> {
              Map<String, byte[]> keys = new LinkedHashMap<>();
              rows.forEach(r -> keys.put(r.getString(0), r.getBuffer(1).getBytes()));
              return keys;
            });
  }

  @Override
  public Uni<List<FoundEvent>> lookup(Query q) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT seq, event_id, event_name, event_time, principal_arn, event_json FROM audit_event WHERE (account_id = $1 OR recipient_account_id = $1)");
    List<Object> params = new ArrayList<>();
    params.add(q.accountId());
    filter(sql, params, "key_arn = ", q.keyArn());
    filter(sql, params, "principal_arn = ", q.principalArn());
    filter(sql, params, "event_name = ", q.eventName());
    filter(sql, params, "event_time >= ", q.startTime() == null ? null : ChainSql.time(q.startTime()));
    filter(sql, params, "event_time <= ", q.endTime() == null ? null : ChainSql.time(q.endTime()));
    filter(sql, params, "seq < ", q.beforeSeq());
    if (q.errorsOnly()) {
      sql.append(" AND error_code IS NOT NULL");
    }
    sql.append(" ORDER BY seq DESC LIMIT ").append(q.limit());
    return pool.preparedQuery(sql.toString())
        .execute(Tuple.from(params))
        .map(
            rows -> {
              List<FoundEvent> out = new ArrayList<>(rows.size());
              rows.forEach(
                  r ->
                      out.add(
                          new FoundEvent(
                              r.getLong(0),
                              r.getString(1),
                              r.getString(2),
                              r.getOffsetDateTime(3).toInstant(),
                              r.getString(4),
                              r.getString(5))));
              return out;
            });
  }

  private static void filter(StringBuilder sql, List<Object> params, String condition, Object value) {
    if (value != null) {
      params.add(value);
      sql.append(" AND ").append(condition).append('$').append(params.size());
    }
  }

  private static byte[] bytes(io.vertx.mutiny.core.buffer.Buffer buffer) {
    return buffer == null ? null : buffer.getBytes();
  }
}
