package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AliasName;
import dev.keyhaven.kms.operation.port.AliasRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@link AliasRepository} on Hibernate Reactive. Joins the caller's session and transaction; inside
 * read-only work {@link #find} is a plain statement on the pool ({@link PoolReads}).
 */
@ApplicationScoped
public class HibernateAliasRepository implements AliasRepository {
  private final Mutiny.SessionFactory sessions;
  private final PoolReads poolReads;

  HibernateAliasRepository(Mutiny.SessionFactory sessions, PoolReads poolReads) {
    this.sessions = sessions;
    this.poolReads = poolReads;
  }

  @Override
  public Uni<Optional<Alias>> find(String accountId, String region, AliasName name) {
    if (UnitOfWork.readOnly()) {
      return poolReads.alias(accountId, region, name);
    }
    return sessions.withSession(
        s ->
            s.find(AliasEntity.class, name.storageKey(region, accountId))
                .map(e -> Optional.ofNullable(e).map(HibernateAliasRepository::toDomain)));
  }

  @Override
  public Uni<Void> insert(Alias alias) {
    String arn = alias.name().storageKey(alias.region(), alias.accountId());
    return sessions.withSession(
        s ->
            s.find(AliasEntity.class, arn)
                .chain(
                    existing -> {
                      if (existing != null) {
                        return Uni.createFrom().failure(alreadyExists(arn));
                      }
                      AliasEntity e = new AliasEntity();
                      e.aliasArn = arn;
                      e.accountId = alias.accountId();
                      e.region = alias.region();
                      e.aliasName = alias.name().value();
                      e.targetKeyId = alias.targetKeyId();
                      e.creationDate = alias.creationDate();
                      e.lastUpdatedDate = alias.lastUpdatedDate();
                      return s.persist(e).chain(s::flush);
                    }));
  }

  @Override
  public Uni<Void> retarget(Alias alias, UUID newTarget, Instant now) {
    return sessions.withSession(
        s ->
            s.find(AliasEntity.class, alias.name().storageKey(alias.region(), alias.accountId()))
                .chain(
                    e -> {
                      e.targetKeyId = newTarget;
                      e.lastUpdatedDate = now;
                      return s.flush();
                    }));
  }

  @Override
  public Uni<Void> delete(Alias alias) {
    return sessions.withSession(
        s ->
            s.find(AliasEntity.class, alias.name().storageKey(alias.region(), alias.accountId()))
                .chain(e -> e == null ? Uni.createFrom().voidItem() : s.remove(e).chain(s::flush)));
  }

  @Override
  public Uni<Long> countForKey(UUID keyId) {
    return sessions.withSession(
        s ->
            s.createSelectionQuery(
                    "select count(*) from AliasEntity where targetKeyId = :key", Long.class)
                .setParameter("key", keyId)
                .getSingleResult());
  }

  @Override
  public Uni<List<Alias>> list(
      String accountId, String region, UUID keyId, String afterName, int limit) {
    StringBuilder hql =
        new StringBuilder("from AliasEntity where accountId = :account and region = :region");
    if (keyId != null) {
      hql.append(" and targetKeyId = :key");
    }
    if (afterName != null) {
      hql.append(" and aliasName > :after");
    }
    hql.append(" order by aliasName");
    return sessions.withSession(
        s -> {
          var query =
              s.createSelectionQuery(hql.toString(), AliasEntity.class)
                  .setParameter("account", accountId)
                  .setParameter("region", region)
                  .setMaxResults(limit);
          if (keyId != null) {
            query.setParameter("key", keyId);
          }
          if (afterName != null) {
            query.setParameter("after", afterName);
          }
          return query
              .getResultList()
              .map(rows -> rows.stream().map(HibernateAliasRepository::toDomain).toList());
        });
  }

  private static Alias toDomain(AliasEntity e) {
    return new Alias(
        e.accountId,
        e.region,
        new AliasName(e.aliasName),
        e.targetKeyId,
        e.creationDate,
        e.lastUpdatedDate);
  }

  private static KmsException alreadyExists(String aliasArn) {
    return new KmsException(
        ErrorCode.ALREADY_EXISTS, "An alias with the name " + aliasArn + " already exists");
  }
}
