package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.PrincipalPolicyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Keyhaven extension {@code KeyhavenAdmin.DeletePrincipalPolicy} (account root only). */
@Action(KmsAction.DELETE_PRINCIPAL_POLICY)
@ApplicationScoped
public class DeletePrincipalPolicy
    implements KmsOperation<DeletePrincipalPolicy.Request, NoResult> {

  public record Request(@Member.Required @Member.Length(min = 1, max = 2048) String principalArn) {}

  private final PrincipalPolicyRepository policies;

  DeletePrincipalPolicy(PrincipalPolicyRepository policies) {
    this.policies = policies;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    AccountRoot.requireCallerIsRootOf(
        context, KmsAction.DELETE_PRINCIPAL_POLICY, request.principalArn());
    return policies
        .delete(Principal.identityPolicyOwnerOf(request.principalArn()))
        .map(
            existed -> {
              if (!existed) {
                throw KmsException.notFound(
                    "No identity policy is attached to " + request.principalArn());
              }
              return NoResult.INSTANCE;
            });
  }
}
