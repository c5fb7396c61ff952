package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.port.PrincipalPolicyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Keyhaven extension {@code KeyhavenAdmin.GetPrincipalPolicy} (account root only). */
@ApplicationScoped
public class GetPrincipalPolicy
    implements KmsOperation<GetPrincipalPolicy.Request, GetPrincipalPolicy.Response> {

  public record Request(String principalArn) {}

  public record Response(String principalArn, String policyDocument) {}

  private final PrincipalPolicyRepository policies;

  GetPrincipalPolicy(PrincipalPolicyRepository policies) {
    this.policies = policies;
  }

  @Override
  public KmsAction action() {
    return KmsAction.GET_PRINCIPAL_POLICY;
  }

  @Override
  public Class<Request> requestType() {
    return Request.class;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    new Validator()
        .required("principalArn", request.principalArn())
        .length("principalArn", request.principalArn(), 1, 2048)
        .check();
    AccountRoot.requireCallerIsRootOf(context, action(), request.principalArn());
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
