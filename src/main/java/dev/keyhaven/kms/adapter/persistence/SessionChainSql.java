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
  public Uni<ChainHead> lockHead() {
    return session
        .createNativeQuery(hibernate(LOCK_HEAD), Object[].class)
        .getSingleResult()
        .map(
            r ->
                new ChainHead(
                    ((Number) r[0]).longValue(),
                    (byte[]) r[1],
                    ((Number) r[2]).longValue(),
                    (byte[]) r[3],
                    ChainSql.instant(r[4])));
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
