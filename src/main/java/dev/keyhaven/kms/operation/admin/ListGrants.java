package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.grant.Grant;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.GrantRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * AWS KMS ListGrants (API Reference, ListGrants): the grants on a key (key id or key ARN,
 * cross-account allowed), optionally only GrantId or only those of GranteePrincipal; Limit 1–100
 * (default 50; the model allows up to 1000 and AWS returns at most 100), paged by Marker. Needs
 * kms:ListGrants; works in every key state. Grant tokens are never listed.
 */
@Action(KmsAction.LIST_GRANTS)
@ApplicationScoped
public class ListGrants implements KmsOperation<ListGrants.Request, ListGrants.Response> {

  public record Request(
      @Member.Range(min = 1, max = 1000) Integer limit,
      @Member.Length(min = 1, max = 1024) String marker,
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Length(min = 1, max = 128) String grantId,
      @Member.Length(min = 1, max = 256) String granteePrincipal) {}

  public record Response(
      List<GrantRules.GrantListEntry> grants, String nextMarker, boolean truncated) {}

  private final KeyResolver resolver;
  private final GrantRepository grants;

  ListGrants(KeyResolver resolver, GrantRepository grants) {
    this.resolver = resolver;
    this.grants = grants;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    GrantRules.requireGrantId(request.grantId());
    int limit =
        Math.min(
            request.limit() == null ? GrantRules.DEFAULT_LIMIT : request.limit(),
            GrantRules.MAX_PAGE);
    String after = GrantRules.afterGrantId(request.marker());
    Conditions conditions = Conditions.none().with("kms:GrantIsForAWSResource", "false");
    return resolver
        .resolve(context, KmsAction.LIST_GRANTS, request.keyId(), false, conditions)
        .chain(
            key ->
                grants.list(
                    key.keyId(), request.grantId(), request.granteePrincipal(), after, limit + 1))
        .map(found -> page(context, found, limit));
  }

  static Response page(RequestContext context, List<Grant> found, int limit) {
    boolean truncated = found.size() > limit;
    List<Grant> page = truncated ? found.subList(0, limit) : found;
    return new Response(
        page.stream().map(g -> GrantRules.entry(g, context.partition())).toList(),
        truncated ? GrantRules.nextMarker(page) : null,
        truncated);
  }
}
