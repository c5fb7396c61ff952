package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.Checkpoint;
import dev.keyhaven.kms.domain.audit.Manifest;
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
  public Uni<List<ChainHead>> heads() {
    return pool.query("SELECT " + ChainSql.HEAD_COLUMNS + " FROM audit_chain ORDER BY chain_id")
        .execute()
        .map(
            rows -> {
              List<ChainHead> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(PoolChainSql.head(r)));
              return out;
            });
  }

  @Override
  public Uni<List<StoredRecord>> records(long chainId, long fromSeq, long toSeq, int limit) {
    return pool.preparedQuery(
            "SELECT seq, hash, convert_to(event_json, 'UTF8') FROM audit_event WHERE chain_id = $1"
                + " AND seq >= $2 AND seq <= $3 ORDER BY seq LIMIT $4")
        .execute(Tuple.of(chainId, fromSeq, toSeq, limit))
        .map(
            rows -> {
              List<StoredRecord> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                out.add(
                    new StoredRecord(
                        row.getLong(0), row.getBuffer(1).getBytes(), row.getBuffer(2).getBytes()));
              }
              return out;
            });
  }

  @Override
  public Uni<Optional<byte[]>> hashOf(long chainId, long seq) {
    return pool.preparedQuery("SELECT hash FROM audit_event WHERE chain_id = $1 AND seq = $2")
        .execute(Tuple.of(chainId, seq))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getBuffer(0).getBytes()));
  }

  @Override
  public Uni<List<Checkpoint>> checkpoints(long chainId, long fromSeq, long toSeq) {
    String columns =
        "chain_id, last_seq, first_seq, head_hash, previous_signature, created_at, signing_key_id,"
            + " signature";
    return pool.preparedQuery(
            "(SELECT "
                + columns
                + " FROM audit_checkpoint WHERE chain_id = $1 AND last_seq < $2"
                + " ORDER BY last_seq DESC LIMIT 1) UNION ALL (SELECT "
                + columns
                + " FROM audit_checkpoint WHERE chain_id = $1 AND last_seq >= $2 AND last_seq <= $3)"
                + " ORDER BY last_seq")
        .execute(Tuple.of(chainId, fromSeq, toSeq))
        .map(
            rows -> {
              List<Checkpoint> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                out.add(
                    new Checkpoint(
                        row.getLong(0),
                        row.getLong(2),
                        row.getLong(1),
                        row.getBuffer(3).getBytes(),
                        bytes(row.getBuffer(4)),
                        row.getOffsetDateTime(5).toInstant(),
                        row.getString(6),
                        row.getBuffer(7).getBytes()));
              }
              return out;
            });
  }

  @Override
  public Uni<List<Manifest>> manifests(long fromSeq, int limit) {
    return pool.preparedQuery(
            "SELECT manifest_seq, created_at, heads, previous_signature, signing_key_id, signature"
                + " FROM audit_manifest WHERE manifest_seq >= $1 ORDER BY manifest_seq LIMIT $2")
        .execute(Tuple.of(fromSeq, limit))
        .map(
            rows -> {
              List<Manifest> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                List<Manifest.Head> heads;
                try {
                  heads = Manifest.decodeHeads(row.getString(2));
                } catch (IllegalArgumentException e) {
                  heads = List.of(); // an edited heads column: its signature no longer verifies
                }
                out.add(
                    new Manifest(
                        row.getLong(0),
                        row.getOffsetDateTime(1).toInstant(),
                        heads,
                        bytes(row.getBuffer(3)),
                        row.getString(4),
                        row.getBuffer(5).getBytes()));
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
    // Two ordered index scans merged, each stopping at the page size: the caller's own events
    // (audit_event_account), and events of others on its keys (audit_event_recipient, a partial
    // index of cross-account events only). One scan over "account OR recipient" would sort every
    // event of the account (1.7 s at 500,000; docs/performance.md, "LookupEvents").
    StringBuilder where = new StringBuilder();
    List<Object> params = new ArrayList<>();
    params.add(q.accountId());
    filter(where, params, "key_arn = ", q.keyArn());
    filter(where, params, "principal_arn = ", q.principalArn());
    filter(where, params, "event_name = ", q.eventName());
    filter(
        where,
        params,
        "event_time >= ",
        q.startTime() == null ? null : ChainSql.time(q.startTime()));
    filter(
        where, params, "event_time <= ", q.endTime() == null ? null : ChainSql.time(q.endTime()));
    if (q.before() != null) {
      params.add(ChainSql.time(q.before().eventTime()));
      params.add(q.before().chainId());
      params.add(q.before().seq());
      int n = params.size();
      where
          .append(" AND (event_time, chain_id, seq) < ($")
          .append(n - 2)
          .append(", $")
          .append(n - 1)
          .append(", $")
          .append(n)
          .append(')');
    }
    if (q.errorsOnly()) {
      where.append(" AND error_code IS NOT NULL");
    }
    String columns =
        "SELECT chain_id, seq, event_id, event_name, event_time, principal_arn, event_json FROM audit_event";
    String order = " ORDER BY event_time DESC, chain_id DESC, seq DESC LIMIT " + q.limit();
    String sql =
        "SELECT * FROM (("
            + columns
            + " WHERE account_id = $1"
            + where
            + order
            + ") UNION ALL ("
            + columns
            + " WHERE recipient_account_id = $1"
            + " AND recipient_account_id IS DISTINCT FROM account_id"
            + where
            + order
            + ")) e"
            + order;
    return pool.preparedQuery(sql)
        .execute(Tuple.from(params))
        .map(
            rows -> {
              List<FoundEvent> out = new ArrayList<>(rows.size());
              rows.forEach(
                  r ->
                      out.add(
                          new FoundEvent(
                              new Position(
                                  r.getOffsetDateTime(4).toInstant(), r.getLong(0), r.getLong(1)),
                              r.getString(2),
                              r.getString(3),
                              r.getString(5),
                              r.getString(6))));
              return out;
            });
  }

  private static void filter(
      StringBuilder where, List<Object> params, String condition, Object value) {
    if (value != null) {
      params.add(value);
      where.append(" AND ").append(condition).append('$').append(params.size());
    }
  }

  private static byte[] bytes(io.vertx.mutiny.core.buffer.Buffer buffer) {
    return buffer == null ? null : buffer.getBytes();
  }
}
