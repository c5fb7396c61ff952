package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.operation.port.AccessKeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/** {@link AccessKeyRepository} on Hibernate Reactive. */
@ApplicationScoped
public class HibernateAccessKeyRepository implements AccessKeyRepository {
  /** The advisory lock class of "one principal's access keys" ("ak" in ASCII). */
  private final Mutiny.SessionFactory sessions;

  HibernateAccessKeyRepository(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  @Override
  public Uni<Void> insert(StoredAccessKey key) {
    AccessKeyEntity e = new AccessKeyEntity();
    e.accessKeyId = key.accessKeyId();
    e.accountId = key.accountId();
    e.principalArn = key.principalArn();
    e.wrappedSecret = key.wrappedSecret();
    e.createDate = key.createDate();
    return sessions.withSession(s -> s.persist(e).chain(s::flush));
  }

  @Override
  public Uni<Void> lockPrincipal(String accountId, String principalArn) {
    return AdvisoryLocks.lockForTransaction(
        sessions, AdvisoryLocks.ACCESS_KEYS, accountId + "|" + principalArn);
  }

  @Override
  public Uni<Optional<StoredAccessKey>> find(String accessKeyId) {
    return sessions.withSession(
        s ->
            s.find(AccessKeyEntity.class, accessKeyId)
                .map(e -> Optional.ofNullable(e).map(HibernateAccessKeyRepository::toStored)));
  }

  @Override
  public Uni<List<StoredAccessKey>> list(String accountId, String principalArn) {
    String byPrincipal = principalArn == null ? "" : " and principalArn = :principal";
    return sessions.withSession(
        s -> {
          var query =
              s.createSelectionQuery(
                      "from AccessKeyEntity where accountId = :account"
                          + byPrincipal
                          + " order by accessKeyId",
                      AccessKeyEntity.class)
                  .setParameter("account", accountId);
          if (principalArn != null) {
            query.setParameter("principal", principalArn);
          }
          return query
              .getResultList()
              .map(rows -> rows.stream().map(HibernateAccessKeyRepository::toStored).toList());
        });
  }

  @Override
  public Uni<Boolean> delete(String accessKeyId) {
    return sessions.withSession(
        s ->
            s.find(AccessKeyEntity.class, accessKeyId)
                .chain(
                    e ->
                        e == null
                            ? Uni.createFrom().item(false)
                            : s.remove(e).chain(s::flush).replaceWith(true)));
  }

  private static StoredAccessKey toStored(AccessKeyEntity e) {
    return new StoredAccessKey(
        e.accessKeyId, e.accountId, e.principalArn, e.wrappedSecret, e.createDate);
  }
}
