package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.audit.AuditEvent;
import dev.keyhaven.kms.domain.audit.KeyUsage;
import dev.keyhaven.kms.operation.port.KeyUsageLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link KeyUsageLog} on PostgreSQL (schema V12, {@code key_last_usage}): read with one statement;
 * written by the audit group commit ({@link #upsert}), never by a request of its own.
 */
@ApplicationScoped
class PgKeyUsageLog implements KeyUsageLog {
  /**
   * One statement for a whole batch: the latest use of each key (at most one row per key, or the
   * upsert would touch a row twice), for keys that still exist, moving a key's row only forward in
   * time — batches of several writers may commit out of order.
   */
  static final String UPSERT =
      "INSERT INTO key_last_usage AS l (key_id, operation, used_at, event_id, request_id)"
          + " SELECT u.key_id, u.operation, u.used_at, u.event_id, u.request_id"
          + " FROM unnest($1::uuid[], $2::varchar[], $3::timestamptz[], $4::varchar[], $5::varchar[])"
          + " AS u(key_id, operation, used_at, event_id, request_id)"
          + " WHERE EXISTS (SELECT 1 FROM kms_key k WHERE k.key_id = u.key_id)"
          + " ON CONFLICT (key_id) DO UPDATE SET operation = excluded.operation,"
          + " used_at = excluded.used_at, event_id = excluded.event_id,"
          + " request_id = excluded.request_id WHERE l.used_at <= excluded.used_at";

  /** One row whether or not the key was used. */
  private static final String FIND =
      "SELECT t.started_at, u.operation, u.used_at, u.event_id, u.request_id"
          + " FROM key_usage_tracking t LEFT JOIN key_last_usage u ON u.key_id = $1";

  private final Pool pool;

  PgKeyUsageLog(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Uni<Tracked> find(UUID keyId) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(keyId))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              Optional<KeyUsage> last =
                  r.getString(1) == null
                      ? Optional.empty()
                      : Optional.of(
                          new KeyUsage(
                              keyId,
                              r.getString(1),
                              r.getOffsetDateTime(2).toInstant(),
                              r.getString(3),
                              r.getString(4)));
              return new Tracked(r.getOffsetDateTime(0).toInstant(), last);
            });
  }

  /**
   * The statement that records the uses among {@code events} (a batch's, in append order), or null
   * when there are none.
   */
  static ChainSql.Statement upsert(List<AuditEvent> events) {
    List<KeyUsage> uses = KeyUsage.latestPerKey(events);
    if (uses.isEmpty()) {
      return null;
    }
    int n = uses.size();
    UUID[] keyIds = new UUID[n];
    String[] operations = new String[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    String[] eventIds = new String[n];
    String[] requestIds = new String[n];
    for (int i = 0; i < n; i++) {
      KeyUsage u = uses.get(i);
      keyIds[i] = u.keyId();
      operations[i] = u.operation();
      times[i] = ChainSql.time(u.timestamp());
      eventIds[i] = u.eventId();
      requestIds[i] = u.requestId();
    }
    Object[] row = {keyIds, operations, times, eventIds, requestIds};
    return new ChainSql.Statement(UPSERT, List.<Object[]>of(row));
  }
}
