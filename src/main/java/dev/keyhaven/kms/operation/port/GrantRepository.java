package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.grant.Grant;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Grants on KMS keys. Calls join the caller's session and transaction. Lists are ordered by grant
 * id (keyset pagination: {@code afterGrantId} exclusive, null for the first page). A key's grants
 * are deleted with the key.
 */
public interface GrantRepository {

  Uni<Void> insert(Grant grant);

  /** The grant {@code grantId} on key {@code keyId}. */
  Uni<Optional<Grant>> find(UUID keyId, String grantId);

  /** The key's grants with this name (CreateGrant idempotency). */
  Uni<List<Grant>> findByName(UUID keyId, String name);

  Uni<Long> countForKey(UUID keyId);

  /** The key's grants whose grantee is one of {@code grantees} (authorization). */
  Uni<List<Grant>> forGrantee(UUID keyId, Collection<String> grantees);

  /** ListGrants: the key's grants, optionally filtered by grant id and grantee. */
  Uni<List<Grant>> list(UUID keyId, String grantId, String grantee, String afterGrantId, int limit);

  /** ListRetirableGrants: grants on any key whose retiring principal is {@code principal}. */
  Uni<List<Grant>> listRetirable(String principal, String afterGrantId, int limit);

  /** Deletes the grant; true if it existed. */
  Uni<Boolean> delete(UUID keyId, String grantId);
}
