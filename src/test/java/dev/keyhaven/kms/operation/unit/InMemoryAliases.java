package dev.keyhaven.kms.operation.unit;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AliasName;
import dev.keyhaven.kms.operation.port.AliasRepository;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link AliasRepository} in memory, keeping the SQL adapter's contracts: one alias per name in an
 * account and region (a taken name answers AlreadyExistsException with the adapter's message),
 * writes only in a transaction, lists ordered by name.
 */
final class InMemoryAliases implements AliasRepository {
  private final InMemoryDatabase database;
  private final Map<String, Alias> aliases;

  InMemoryAliases(InMemoryDatabase database) {
    this.database = database;
    this.aliases = database.table();
  }

  @Override
  public Uni<Optional<Alias>> find(String accountId, String region, AliasName name) {
    return Uni.createFrom()
        .item(Optional.ofNullable(aliases.get(name.storageKey(region, accountId))));
  }

  @Override
  public Uni<Void> insert(Alias alias) {
    database.requireTransaction("insert alias");
    String arn = storageKey(alias);
    if (aliases.containsKey(arn)) {
      return Uni.createFrom()
          .failure(
              new KmsException(
                  ErrorCode.ALREADY_EXISTS, "An alias with the name " + arn + " already exists"));
    }
    aliases.put(arn, alias);
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Void> retarget(Alias alias, UUID newTarget, Instant now) {
    database.requireTransaction("retarget alias");
    aliases.computeIfPresent(
        storageKey(alias),
        (arn, a) ->
            new Alias(a.accountId(), a.region(), a.name(), newTarget, a.creationDate(), now));
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Void> delete(Alias alias) {
    database.requireTransaction("delete alias");
    aliases.remove(storageKey(alias));
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Long> countForKey(UUID keyId) {
    return Uni.createFrom()
        .item(aliases.values().stream().filter(a -> a.targetKeyId().equals(keyId)).count());
  }

  @Override
  public Uni<List<Alias>> list(
      String accountId, String region, UUID keyId, String afterName, int limit) {
    return Uni.createFrom()
        .item(
            aliases.values().stream()
                .filter(a -> a.accountId().equals(accountId) && a.region().equals(region))
                .filter(a -> keyId == null || a.targetKeyId().equals(keyId))
                .filter(a -> afterName == null || a.name().value().compareTo(afterName) > 0)
                .sorted(Comparator.comparing(a -> a.name().value()))
                .limit(limit)
                .toList());
  }

  /** The key's aliases go with it ({@link InMemoryKeys#destroy}). */
  void deleteForKey(UUID keyId) {
    aliases.values().removeIf(a -> a.targetKeyId().equals(keyId));
  }

  private static String storageKey(Alias alias) {
    return alias.name().storageKey(alias.region(), alias.accountId());
  }
}
