package dev.keyhaven.kms.adapter.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyhaven.kms.domain.grant.Grant;
import dev.keyhaven.kms.domain.grant.GrantConstraints;
import dev.keyhaven.kms.domain.grant.GrantOperation;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeyArn;
import dev.keyhaven.kms.operation.port.GrantRepository;
import dev.keyhaven.kms.operation.port.RowBinding;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@link GrantRepository} on Hibernate Reactive. Joins the caller's session and transaction. Every
 * row read is checked against its MAC ({@link GrantBinding}); one that does not verify is left out
 * of every answer (it allows nothing), except the per-key count.
 */
@ApplicationScoped
public class HibernateGrantRepository implements GrantRepository {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> PAIRS = new TypeReference<>() {};

  private final Mutiny.SessionFactory sessions;
  private final RowBinding crypto;

  HibernateGrantRepository(Mutiny.SessionFactory sessions, RowBinding crypto) {
    this.sessions = sessions;
    this.crypto = crypto;
  }

  @Override
  public Uni<Void> insert(Grant grant) {
    GrantEntity e = new GrantEntity();
    e.grantId = grant.grantId();
    e.keyId = grant.keyArn().keyId();
    e.keyArn = grant.keyArn().toString();
    e.name = grant.name();
    e.creationDate = grant.creationDate();
    e.grantee = grant.granteePrincipal();
    e.retiringPrincipal = grant.retiringPrincipal();
    e.issuingAccount = grant.issuingAccount();
    e.operations =
        grant.operations().stream()
            .sorted()
            .map(AwsEnum::wireName)
            .collect(Collectors.joining(","));
    e.constraintEquals = write(grant.constraints().encryptionContextEquals());
    e.constraintSubset = write(grant.constraints().encryptionContextSubset());
    e.mac = GrantBinding.mac(crypto, e);
    return sessions.withSession(s -> s.persist(e).chain(s::flush));
  }

  @Override
  public Uni<Optional<Grant>> find(UUID keyId, String grantId) {
    return sessions.withSession(
        s ->
            s.find(GrantEntity.class, grantId)
                .map(
                    e ->
                        Optional.ofNullable(e)
                            .filter(g -> g.keyId.equals(keyId) && GrantBinding.verified(crypto, g))
                            .map(HibernateGrantRepository::toDomain)));
  }

  @Override
  public Uni<List<Grant>> findByName(UUID keyId, String name) {
    return query(
        "from GrantEntity where keyId = :key and name = :name order by grantId",
        Map.of("key", keyId, "name", name),
        Integer.MAX_VALUE);
  }

  @Override
  public Uni<Long> countForKey(UUID keyId) {
    return sessions.withSession(
        s ->
            s.createSelectionQuery(
                    "select count(*) from GrantEntity where keyId = :key", Long.class)
                .setParameter("key", keyId)
                .getSingleResult());
  }

  @Override
  public Uni<List<Grant>> forGrantee(UUID keyId, Collection<String> grantees) {
    return query(
        "from GrantEntity where grantee in (:grantees) and keyId = :key order by grantId",
        Map.of("key", keyId, "grantees", List.copyOf(grantees)),
        Integer.MAX_VALUE);
  }

  @Override
  public Uni<List<Grant>> list(
      UUID keyId, String grantId, String grantee, String afterGrantId, int limit) {
    StringBuilder hql = new StringBuilder("from GrantEntity where keyId = :key");
    Map<String, Object> params = new TreeMap<>(Map.of("key", keyId));
    if (grantId != null) {
      hql.append(" and grantId = :grantId");
      params.put("grantId", grantId);
    }
    if (grantee != null) {
      hql.append(" and grantee = :grantee");
      params.put("grantee", grantee);
    }
    if (afterGrantId != null) {
      hql.append(" and grantId > :after");
      params.put("after", afterGrantId);
    }
    return query(hql.append(" order by grantId").toString(), params, limit);
  }

  @Override
  public Uni<List<Grant>> listRetirable(String principal, String afterGrantId, int limit) {
    String after = afterGrantId == null ? "" : " and grantId > :after";
    Map<String, Object> params = new TreeMap<>(Map.of("principal", principal));
    if (afterGrantId != null) {
      params.put("after", afterGrantId);
    }
    return query(
        "from GrantEntity where retiringPrincipal = :principal" + after + " order by grantId",
        params,
        limit);
  }

  @Override
  public Uni<Boolean> delete(UUID keyId, String grantId) {
    return sessions.withSession(
        s ->
            s.find(GrantEntity.class, grantId)
                .chain(
                    e ->
                        e == null || !e.keyId.equals(keyId)
                            ? Uni.createFrom().item(false)
                            : s.remove(e).chain(s::flush).replaceWith(true)));
  }

  private Uni<List<Grant>> query(String hql, Map<String, Object> params, int limit) {
    return sessions.withSession(
        s -> {
          var query = s.createSelectionQuery(hql, GrantEntity.class);
          params.forEach(query::setParameter);
          if (limit != Integer.MAX_VALUE) {
            query.setMaxResults(limit);
          }
          return query
              .getResultList()
              .map(
                  rows ->
                      rows.stream()
                          .filter(e -> GrantBinding.verified(crypto, e))
                          .map(HibernateGrantRepository::toDomain)
                          .toList());
        });
  }

  private static Grant toDomain(GrantEntity e) {
    // arn:<partition>:kms:<region>:<account>:key/<key-id>
    String[] arn = e.keyArn.split(":", 6);
    EnumSet<GrantOperation> operations = EnumSet.noneOf(GrantOperation.class);
    Arrays.stream(e.operations.split(","))
        .map(op -> AwsEnum.fromWire(GrantOperation.class, op))
        .forEach(operations::add);
    return new Grant(
        e.grantId,
        new KeyArn(arn[1], arn[3], arn[4], e.keyId),
        e.name,
        e.creationDate,
        e.grantee,
        e.retiringPrincipal,
        e.issuingAccount,
        operations,
        new GrantConstraints(read(e.constraintEquals), read(e.constraintSubset)));
  }

  private static String write(Map<String, String> pairs) {
    try {
      return pairs == null ? null : JSON.writeValueAsString(new TreeMap<>(pairs));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static Map<String, String> read(String json) {
    try {
      return json == null ? null : JSON.readValue(json, PAIRS);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("stored grant constraint is not a JSON object", ex);
    }
  }
}
