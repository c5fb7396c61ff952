package dev.keyhaven.kms.adapter.persistence;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Transaction-scoped PostgreSQL advisory locks that serialize the check-then-insert of a quota
 * (access keys per principal, XKS key stores per account) among concurrent transactions. They live
 * in the (int, int) key space, which never meets the bigint key space of the schema migrator's and
 * the root-key check's locks: the first int is the lock's class (one per quota, below), the second
 * the hash of the scope — a hash collision only serializes two scopes' creations. Released at the
 * end of the caller's transaction; outside one, at the end of the statement (useless, so callers
 * are always inside one).
 */
final class AdvisoryLocks {
  /** Access keys per principal ("ak"). */
  static final int ACCESS_KEYS = 0x616b;

  /** XKS key stores per account ("xs"). */
  static final int XKS_KEY_STORES = 0x7873;

  private AdvisoryLocks() {}

  /**
   * Waits for, then holds until the transaction ends, the lock of {@code scope} in {@code kind}.
   */
  static Uni<Void> lockForTransaction(Mutiny.SessionFactory sessions, int kind, String scope) {
    return sessions.withSession(
        s ->
            s.createNativeQuery(
                    "SELECT 1 FROM pg_advisory_xact_lock(" + kind + ", hashtext(?1))",
                    Integer.class)
                .setParameter(1, scope)
                .getSingleResult()
                .replaceWithVoid());
  }
}
