package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.PrincipalPolicyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Keyhaven extension {@code KeyhavenAdmin.GetPrincipalPolicy} (account root only). */
@Action(KmsAction.GET_PRINCIPAL_POLICY)
@ApplicationScoped
public class GetPrincipalPolicy
    implements KmsOperation<GetPrincipalPolicy.Request, GetPrincipalPolicy.Response> {

  public record Request(@Member.Required @Member.Length(min = 1, max = 2048) String principalArn) {}

  public record Response(String principalArn, String policyDocument) {}

  private final PrincipalPolicyRepository policies;

  GetPrincipalPolicy(PrincipalPolicyRepository policies) {
    this.policies = policies;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    AccountRoot.requireCallerIsRootOf(
        context, KmsAction.GET_PRINCIPAL_POLICY, request.principalArn());
    return policies
        .find(Principal.identityPolicyOwnerOf(request.principalArn()))
        .map(
            found ->
                new Response(
                    request.principalArn(),
                    found.orElseThrow(
                        () ->
                            KmsException.notFound(
                                "No identity policy is attached to " + request.principalArn()))));
  }
}
