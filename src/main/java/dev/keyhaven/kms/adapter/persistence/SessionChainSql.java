package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.audit.ChainHead;
import io.smallrye.mutiny.Uni;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@link ChainSql} on the Hibernate Reactive session of the current transaction, so the audit
 * record commits with the state change.
 */
final class SessionChainSql implements ChainSql {
  private final Mutiny.Session session;

  SessionChainSql(Mutiny.Session session) {
    this.session = session;
  }

  @Override
  public Uni<ChainHead> lockHead(long chainId, String owner) {
    return session
        .createNativeQuery(hibernate(LOCK_HEAD), Object[].class)
        .setParameter(1, chainId)
        .setParameter(2, owner)
        .getResultList()
        .map(
            rows -> {
              if (rows.isEmpty()) {
                return null;
              }
              Object[] r = rows.get(0);
              return new ChainHead(
                  ((Number) r[0]).longValue(),
                  ((Number) r[1]).longValue(),
                  (byte[]) r[2],
                  ((Number) r[3]).longValue(),
                  (byte[]) r[4],
                  ChainSql.instant(r[5]));
            });
  }

  @Override
  public Uni<Void> execute(String sql, List<Object[]> rows) {
    Uni<Void> done = Uni.createFrom().voidItem();
    for (Object[] row : rows) {
      done =
          done.chain(
              () -> {
                var query = session.createNativeQuery(hibernate(sql));
                for (int i = 0; i < row.length; i++) {
                  query.setParameter(i + 1, row[i]);
                }
                return query.executeUpdate().replaceWithVoid();
              });
    }
    return done;
  }

  /** {@code $1} (PostgreSQL) → {@code ?1} (JPA ordinal parameters). */
  private static String hibernate(String sql) {
    return sql.replaceAll("\\$(\\d+)", "?$1");
  }
}
