package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.operation.port.PrincipalPolicyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@link PrincipalPolicyRepository} on Hibernate Reactive; inside read-only work {@link #find} is
 * a plain statement on the pool ({@link PoolReads}).
 */
@ApplicationScoped
public class HibernatePrincipalPolicyRepository implements PrincipalPolicyRepository {
  private final Mutiny.SessionFactory sessions;
  private final PoolReads poolReads;

  HibernatePrincipalPolicyRepository(Mutiny.SessionFactory sessions, PoolReads poolReads) {
    this.sessions = sessions;
    this.poolReads = poolReads;
  }

  @Override
  public Uni<Optional<String>> find(String principalArn) {
    if (UnitOfWork.readOnly()) {
      return poolReads.identityPolicy(principalArn);
    }
    return sessions.withSession(
        s ->
            s.find(PrincipalPolicyEntity.class, principalArn)
                .map(e -> Optional.ofNullable(e).map(p -> p.policy)));
  }

  @Override
  public Uni<Void> put(String principalArn, String accountId, String policy, Instant now) {
    return sessions.withSession(
        s ->
            s.find(PrincipalPolicyEntity.class, principalArn)
                .chain(
                    existing -> {
                      PrincipalPolicyEntity e = existing != null ? existing : new PrincipalPolicyEntity();
                      e.principalArn = principalArn;
                      e.accountId = accountId;
                      e.policy = policy;
                      e.updateDate = now;
                      return (existing != null ? Uni.createFrom().voidItem() : s.persist(e)).chain(s::flush);
                    }));
  }

  @Override
  public Uni<Boolean> delete(String principalArn) {
    return sessions.withSession(
        s ->
            s.find(PrincipalPolicyEntity.class, principalArn)
                .chain(
                    e ->
                        e == null
                            ? Uni.createFrom().item(false)
                            : s.remove(e).chain(s::flush).replaceWith(true)));
  }
}
