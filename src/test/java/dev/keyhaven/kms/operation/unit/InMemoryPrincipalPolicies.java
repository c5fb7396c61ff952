package dev.keyhaven.kms.operation.unit;

import dev.keyhaven.kms.operation.port.PrincipalPolicyRepository;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@link PrincipalPolicyRepository} in memory: one identity policy per principal ARN, replaced by a
 * put, written only in a transaction.
 */
final class InMemoryPrincipalPolicies implements PrincipalPolicyRepository {
  private final InMemoryDatabase database;
  private final Map<String, String> policies;

  InMemoryPrincipalPolicies(InMemoryDatabase database) {
    this.database = database;
    this.policies = database.table();
  }

  @Override
  public Uni<Optional<String>> find(String principalArn) {
    return Uni.createFrom().item(Optional.ofNullable(policies.get(principalArn)));
  }

  @Override
  public Uni<Void> put(String principalArn, String accountId, String policy, Instant now) {
    database.requireTransaction("put identity policy");
    policies.put(principalArn, policy);
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Boolean> delete(String principalArn) {
    database.requireTransaction("delete identity policy");
    return Uni.createFrom().item(policies.remove(principalArn) != null);
  }
}
