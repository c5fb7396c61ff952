package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** AWS KMS ListKeyPolicies: always {@code ["default"]}, the only key policy name. */
@Action(KmsAction.LIST_KEY_POLICIES)
@ApplicationScoped
public class ListKeyPolicies
    implements KmsOperation<ListKeyPolicies.Request, ListKeyPolicies.Response> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Range(min = 1, max = 1000) Integer limit,
      @Member.Length(min = 1, max = 1024) String marker) {}

  public record Response(List<String> policyNames, boolean truncated) {}

  private final KeyResolver resolver;

  ListKeyPolicies(KeyResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    if (request.marker() != null) {
      // There is never a second page, so no marker is valid.
      throw Markers.invalid();
    }
    return resolver
        .resolve(context, KmsAction.LIST_KEY_POLICIES, request.keyId(), false, Conditions.none())
        .map(key -> new Response(List.of(PolicyNames.DEFAULT), false));
  }
}
