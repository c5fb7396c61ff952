package dev.keyhaven.kms.operation.port;

import io.smallrye.mutiny.Uni;
import java.util.Optional;

/**
 * Identity-based policies, one document per principal ARN: Keyhaven's stand-in for IAM policies
 * attached to users and roles (docs/identity.md).
 */
public interface PrincipalPolicyRepository {

  Uni<Optional<String>> find(String principalArn);

  /** Inserts or replaces the principal's policy. */
  Uni<Void> put(String principalArn, String accountId, String policy, java.time.Instant now);

  /** Deletes the principal's policy; true if there was one. */
  Uni<Boolean> delete(String principalArn);
}
