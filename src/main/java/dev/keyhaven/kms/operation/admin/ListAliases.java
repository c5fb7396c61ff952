package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Authorization;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AliasRepository;
import dev.keyhaven.kms.operation.port.AliasRepository.Alias;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * AWS KMS ListAliases: the caller's aliases in this region ordered by name, optionally only those
 * of one key (KeyId: key id or key ARN), Limit 1–100 (default 50; the model allows up to 1000 and
 * AWS returns at most 100), paged by Marker.
 */
@Action(KmsAction.LIST_ALIASES)
@ApplicationScoped
public class ListAliases implements KmsOperation<ListAliases.Request, ListAliases.Response> {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_PAGE = 100;

  public record Request(
      @Member.KeyId KeyReference keyId,
      @Member.Range(min = 1, max = 1000) Integer limit,
      @Member.Length(min = 1, max = 1024) String marker) {}

  public record AliasListEntry(
      String aliasName,
      String aliasArn,
      String targetKeyId,
      Instant creationDate,
      Instant lastUpdatedDate) {}

  public record Response(List<AliasListEntry> aliases, String nextMarker, boolean truncated) {}

  private final KeyResolver resolver;
  private final AliasRepository aliases;
  private final Authorization authorization;

  ListAliases(KeyResolver resolver, AliasRepository aliases, Authorization authorization) {
    this.resolver = resolver;
    this.aliases = aliases;
    this.authorization = authorization;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    int limit = Math.min(request.limit() == null ? DEFAULT_LIMIT : request.limit(), MAX_PAGE);
    String after = Markers.decode(request.marker());
    Uni<UUID> keyFilter =
        request.keyId() == null
            ? authorization
                .require(context, KmsAction.LIST_ALIASES, null, Conditions.none())
                .replaceWith((UUID) null)
            : resolver
                .resolve(context, KmsAction.LIST_ALIASES, request.keyId(), false, Conditions.none())
                .map(k -> k.keyId());
    return keyFilter
        .chain(
            keyId -> aliases.list(context.accountId(), context.region(), keyId, after, limit + 1))
        .map(found -> page(context, found, limit));
  }

  private static Response page(RequestContext context, List<Alias> found, int limit) {
    boolean truncated = found.size() > limit;
    List<Alias> page = truncated ? found.subList(0, limit) : found;
    List<AliasListEntry> entries =
        page.stream()
            .map(
                a ->
                    new AliasListEntry(
                        a.name().value(),
                        a.name().arn(context.partition(), context.region(), context.accountId()),
                        a.targetKeyId().toString(),
                        a.creationDate(),
                        a.lastUpdatedDate()))
            .toList();
    String next = truncated ? Markers.encode(page.get(page.size() - 1).name().value()) : null;
    return new Response(entries, next, truncated);
  }
}
