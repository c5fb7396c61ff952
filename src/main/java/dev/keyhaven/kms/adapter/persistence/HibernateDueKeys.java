package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.port.DueKeys;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@link DueKeys} as native SQL, joined to the caller's session and transaction. Each query repeats
 * the predicate of its partial index (V5__rotation.sql), orders by the indexed due date and stops
 * at the limit, so PostgreSQL walks the index from the oldest due entry and reads only due rows.
 * {@code FOR UPDATE SKIP LOCKED} gives concurrent runs disjoint rows; PostgreSQL re-checks the
 * predicate on a row that changed while it waited, so a key another run has just rotated or deleted
 * is not returned.
 */
@ApplicationScoped
public class HibernateDueKeys implements DueKeys {
  /** The rotation step's query (EXPLAIN-checked in HibernateDueKeysPlanTest). */
  static final String DUE_FOR_ROTATION =
      "SELECT k.* FROM kms_key k"
          + " WHERE k.key_state = 'ENABLED' AND k.next_rotation_date <= :now"
          + " ORDER BY k.next_rotation_date LIMIT :limit FOR UPDATE SKIP LOCKED";

  /** The deletion step's query. */
  static final String DUE_FOR_DELETION =
      "SELECT k.* FROM kms_key k"
          + " WHERE k.key_state = 'PENDING_DELETION' AND k.deletion_date <= :now"
          + " ORDER BY k.deletion_date LIMIT :limit FOR UPDATE SKIP LOCKED";

  /** The expiry step's query: imported material past its ValidTo (V7__import.sql index). */
  static final String DUE_FOR_EXPIRY =
      "SELECT k.* FROM kms_key k"
          + " WHERE k.valid_to IS NOT NULL AND k.valid_to <= :now"
          + " ORDER BY k.valid_to LIMIT :limit FOR UPDATE SKIP LOCKED";

  private static final String COUNT_DUE =
      "SELECT (SELECT count(*) FROM kms_key WHERE key_state = 'ENABLED'"
          + " AND next_rotation_date <= :now)"
          + " + (SELECT count(*) FROM kms_key WHERE key_state = 'PENDING_DELETION'"
          + " AND deletion_date <= :now)"
          + " + (SELECT count(*) FROM kms_key WHERE valid_to IS NOT NULL AND valid_to <= :now)";

  private final Mutiny.SessionFactory sessions;

  private final String partition;

  HibernateDueKeys(Mutiny.SessionFactory sessions, KmsConfig config) {
    this.sessions = sessions;
    this.partition = config.partition();
  }

  @Override
  public Uni<List<KmsKey>> lockDueForRotation(Instant now, int limit) {
    return lock(DUE_FOR_ROTATION, now, limit);
  }

  @Override
  public Uni<List<KmsKey>> lockDueForDeletion(Instant now, int limit) {
    return lock(DUE_FOR_DELETION, now, limit);
  }

  @Override
  public Uni<List<KmsKey>> lockDueForExpiry(Instant now, int limit) {
    return lock(DUE_FOR_EXPIRY, now, limit);
  }

  @Override
  public Uni<Long> countDue(Instant now) {
    return sessions.withSession(
        s -> s.createNativeQuery(COUNT_DUE, Long.class).setParameter("now", now).getSingleResult());
  }

  private Uni<List<KmsKey>> lock(String sql, Instant now, int limit) {
    return sessions.withSession(
        s ->
            s.createNativeQuery(sql, KeyEntity.class)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList()
                .map(rows -> rows.stream().map(e -> KeyMapper.toDomain(e, partition)).toList()));
  }
}
