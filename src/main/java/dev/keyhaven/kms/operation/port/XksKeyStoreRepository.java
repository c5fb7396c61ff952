package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.xks.XksKeyStore;
import dev.keyhaven.kms.domain.xks.XksKeyUsage;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * External key stores and the keys marked for them (schema V14). Writes join the current
 * transaction; reads see committed rows.
 */
public interface XksKeyStoreRepository {

  /** A key of a store and the XKS usage it answers for. */
  record XksKey(UUID keyId, UUID storeId, Set<XksKeyUsage> usage) {}

  Uni<Void> insert(XksKeyStore store);

  /**
   * Serializes the account's key store creations to the end of the current transaction (the
   * count-then-insert of the store quota).
   */
  Uni<Void> lockAccount(String accountId);

  /**
   * Locks the store's row to the end of the current transaction: shared (keys being added to it) or
   * exclusive (its deletion), so a deletion and a key creation on one store never interleave. False
   * if the store no longer exists.
   */
  Uni<Boolean> lock(UUID storeId, boolean exclusive);

  Uni<Optional<XksKeyStore>> byName(String accountId, String name);

  Uni<Optional<XksKeyStore>> byUriPrefix(String uriPrefix);

  /** The account's stores, ordered by name. */
  Uni<List<XksKeyStore>> list(String accountId);

  /** Deletes a store that has no keys; true if it was deleted. */
  Uni<Boolean> delete(UUID storeId);

  Uni<Void> insertKey(XksKey key);

  Uni<Optional<XksKey>> key(UUID keyId);

  /** The store's keys, ordered by key id. */
  Uni<List<XksKey>> keys(UUID storeId);
}
