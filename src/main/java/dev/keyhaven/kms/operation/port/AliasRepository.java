package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.key.AliasName;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Aliases, unique per account and region (AWS KMS Developer Guide, "Aliases in AWS KMS"). */
public interface AliasRepository {

  /** An alias and the key it points at. */
  record Alias(
      String accountId,
      String region,
      AliasName name,
      UUID targetKeyId,
      Instant creationDate,
      Instant lastUpdatedDate) {}

  Uni<Optional<Alias>> find(String accountId, String region, AliasName name);

  /** Inserts; fails with AlreadyExistsException if the name is taken. */
  Uni<Void> insert(Alias alias);

  Uni<Void> retarget(Alias alias, UUID newTarget, Instant now);

  Uni<Void> delete(Alias alias);

  Uni<Long> countForKey(UUID keyId);

  /**
   * Aliases of one account and region ordered by name, after {@code afterName}, optionally only
   * those pointing at {@code keyId}, at most {@code limit}.
   */
  Uni<List<Alias>> list(String accountId, String region, UUID keyId, String afterName, int limit);
}
