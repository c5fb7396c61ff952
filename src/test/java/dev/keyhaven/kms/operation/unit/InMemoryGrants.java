package dev.keyhaven.kms.operation.unit;

import dev.keyhaven.kms.domain.grant.Grant;
import dev.keyhaven.kms.operation.port.GrantRepository;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@link GrantRepository} in memory, keeping the SQL adapter's contracts: a grant id is inserted
 * once, writes only in a transaction, lists ordered by grant id after {@code afterGrantId}.
 */
final class InMemoryGrants implements GrantRepository {
  private final InMemoryDatabase database;
  private final Map<String, Grant> grants;

  InMemoryGrants(InMemoryDatabase database) {
    this.database = database;
    this.grants = database.table();
  }

  @Override
  public Uni<Void> insert(Grant grant) {
    database.requireTransaction("insert grant");
    if (grants.containsKey(grant.grantId())) {
      throw new IllegalStateException("duplicate grant id " + grant.grantId());
    }
    grants.put(grant.grantId(), grant);
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Optional<Grant>> find(UUID keyId, String grantId) {
    return Uni.createFrom().item(onKey(keyId).filter(g -> g.grantId().equals(grantId)).findFirst());
  }

  @Override
  public Uni<List<Grant>> findByName(UUID keyId, String name) {
    return Uni.createFrom().item(onKey(keyId).filter(g -> name.equals(g.name())).toList());
  }

  @Override
  public Uni<Long> countForKey(UUID keyId) {
    return Uni.createFrom().item(onKey(keyId).count());
  }

  @Override
  public Uni<List<Grant>> forGrantee(UUID keyId, Collection<String> grantees) {
    return Uni.createFrom()
        .item(onKey(keyId).filter(g -> grantees.contains(g.granteePrincipal())).toList());
  }

  @Override
  public Uni<List<Grant>> list(
      UUID keyId, String grantId, String grantee, String afterGrantId, int limit) {
    return Uni.createFrom()
        .item(
            page(
                onKey(keyId)
                    .filter(g -> grantId == null || g.grantId().equals(grantId))
                    .filter(g -> grantee == null || g.granteePrincipal().equals(grantee)),
                afterGrantId,
                limit));
  }

  @Override
  public Uni<List<Grant>> listRetirable(String principal, String afterGrantId, int limit) {
    return Uni.createFrom()
        .item(
            page(
                grants.values().stream().filter(g -> principal.equals(g.retiringPrincipal())),
                afterGrantId,
                limit));
  }

  @Override
  public Uni<Boolean> delete(UUID keyId, String grantId) {
    database.requireTransaction("delete grant");
    Grant grant = grants.get(grantId);
    if (grant == null || !grant.keyArn().keyId().equals(keyId)) {
      return Uni.createFrom().item(false);
    }
    grants.remove(grantId);
    return Uni.createFrom().item(true);
  }

  /** The key's grants go with it ({@link InMemoryKeys#destroy}). */
  void deleteForKey(UUID keyId) {
    grants.values().removeIf(g -> g.keyArn().keyId().equals(keyId));
  }

  private Stream<Grant> onKey(UUID keyId) {
    return grants.values().stream().filter(g -> g.keyArn().keyId().equals(keyId));
  }

  private static List<Grant> page(Stream<Grant> grants, String afterGrantId, int limit) {
    return grants
        .filter(g -> afterGrantId == null || g.grantId().compareTo(afterGrantId) > 0)
        .sorted(Comparator.comparing(Grant::grantId))
        .limit(limit)
        .toList();
  }
}
