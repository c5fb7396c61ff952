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
  private static final int PRINCIPAL_LOCK = 0x616b;

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
    // A transaction-scoped advisory lock in the (int, int) key space, which never meets the
    // bigint key space of the schema migrator's lock: class PRINCIPAL_LOCK, object the hash of
    // account and principal. A hash collision only serializes two principals' creations.
    return sessions.withSession(
        s ->
            s.createNativeQuery(
                    "SELECT 1 FROM pg_advisory_xact_lock(" + PRINCIPAL_LOCK + ", hashtext(?1))",
                    Integer.class)
                .setParameter(1, accountId + "|" + principalArn)
                .getSingleResult()
                .replaceWithVoid());
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
