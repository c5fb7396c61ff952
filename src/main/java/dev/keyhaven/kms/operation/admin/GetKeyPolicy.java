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

/** AWS KMS GetKeyPolicy: the key policy as stored; PolicyName can only be {@code default}. */
@Action(KmsAction.GET_KEY_POLICY)
@ApplicationScoped
public class GetKeyPolicy implements KmsOperation<GetKeyPolicy.Request, GetKeyPolicy.Response> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Length(min = 1, max = 128) String policyName) {}

  public record Response(String policy, String policyName) {}

  private final KeyResolver resolver;

  GetKeyPolicy(KeyResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    PolicyNames.requireDefault(request.policyName());
    return resolver
        .resolve(context, KmsAction.GET_KEY_POLICY, request.keyId(), false, Conditions.none())
        .map(key -> new Response(key.policy(), PolicyNames.DEFAULT));
  }
}
