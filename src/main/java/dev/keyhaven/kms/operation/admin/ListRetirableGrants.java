package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Authorization;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.GrantRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AWS KMS ListRetirableGrants (API Reference, ListRetirableGrants): the grants, on keys of any
 * account, whose RetiringPrincipal is the given principal; Limit 1–100 (default 50), paged by
 * Marker. An IAM-only action (kms:ListRetirableGrants in an identity policy, or the account root);
 * the principal must belong to the caller's account ("You cannot perform this operation on ... a
 * different AWS account").
 */
@Action(KmsAction.LIST_RETIRABLE_GRANTS)
@ApplicationScoped
public class ListRetirableGrants
    implements KmsOperation<ListRetirableGrants.Request, ListGrants.Response> {

  public record Request(
      @Member.Range(min = 1, max = 1000) Integer limit,
      @Member.Length(min = 1, max = 1024) String marker,
      @Member.Required @Member.Length(min = 1, max = 256) String retiringPrincipal) {}

  private final Authorization authorization;
  private final GrantRepository grants;

  ListRetirableGrants(Authorization authorization, GrantRepository grants) {
    this.authorization = authorization;
    this.grants = grants;
  }

  @Override
  public Uni<ListGrants.Response> execute(RequestContext context, Request request) {
    GrantRules.requirePrincipal(context, request.retiringPrincipal());
    if (!Principal.parse(request.retiringPrincipal())
        .orElseThrow()
        .accountId()
        .equals(context.accountId())) {
      throw KeyResolver.accessDenied(
          context, KmsAction.LIST_RETIRABLE_GRANTS, request.retiringPrincipal());
    }
    int limit =
        Math.min(
            request.limit() == null ? GrantRules.DEFAULT_LIMIT : request.limit(),
            GrantRules.MAX_PAGE);
    String after = GrantRules.afterGrantId(request.marker());
    return authorization
        .require(context, KmsAction.LIST_RETIRABLE_GRANTS, null, Conditions.none())
        .chain(() -> grants.listRetirable(request.retiringPrincipal(), after, limit + 1))
        .map(found -> ListGrants.page(context, found, limit));
  }
}
