package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.operation.port.PrincipalPolicyRepository;
import dev.keyhaven.kms.operation.port.RowBinding;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@link PrincipalPolicyRepository} on Hibernate Reactive; inside read-only work {@link #find} is a
 * plain statement on the pool ({@link PoolReads}).
 */
@ApplicationScoped
public class HibernatePrincipalPolicyRepository implements PrincipalPolicyRepository {
  private final Mutiny.SessionFactory sessions;
  private final PoolReads poolReads;
  private final RowBinding crypto;

  HibernatePrincipalPolicyRepository(
      Mutiny.SessionFactory sessions, PoolReads poolReads, RowBinding crypto) {
    this.sessions = sessions;
    this.poolReads = poolReads;
    this.crypto = crypto;
  }

  /**
   * The stored policy if its row's MAC matches, else a Deny of everything (PrincipalPolicyBinding).
   */
  @Override
  public Uni<Optional<String>> find(String principalArn) {
    if (UnitOfWork.readOnly()) {
      return poolReads
          .identityPolicy(principalArn)
          .map(
              found ->
                  found.map(
                      p ->
                          PrincipalPolicyBinding.verified(
                              crypto, p.principalArn(), p.accountId(), p.policy(), p.mac())));
    }
    return sessions.withSession(
        s ->
            s.find(PrincipalPolicyEntity.class, principalArn)
                .map(
                    e ->
                        Optional.ofNullable(e)
                            .map(
                                p ->
                                    PrincipalPolicyBinding.verified(
                                        crypto, p.principalArn, p.accountId, p.policy, p.mac))));
  }

  @Override
  public Uni<Void> put(String principalArn, String accountId, String policy, Instant now) {
    return sessions.withSession(
        s ->
            s.find(PrincipalPolicyEntity.class, principalArn)
                .chain(
                    existing -> {
                      PrincipalPolicyEntity e =
                          existing != null ? existing : new PrincipalPolicyEntity();
                      e.principalArn = principalArn;
                      e.accountId = accountId;
                      e.policy = policy;
                      e.updateDate = now;
                      e.mac = PrincipalPolicyBinding.mac(crypto, principalArn, accountId, policy);
                      return (existing != null ? Uni.createFrom().voidItem() : s.persist(e))
                          .chain(s::flush);
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
