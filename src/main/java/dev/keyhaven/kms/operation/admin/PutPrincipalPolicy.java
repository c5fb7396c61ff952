package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.PolicyDocument;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KeyPolicies;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.PrincipalPolicyRepository;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keyhaven extension {@code KeyhavenAdmin.PutPrincipalPolicy}: sets the identity-based policy of a
 * principal of the caller's account (account root only) — Keyhaven's stand-in for an IAM policy
 * attached to a user or role. Same grammar as key policies, without Principal (docs/identity.md).
 */
@Action(KmsAction.PUT_PRINCIPAL_POLICY)
@ApplicationScoped
public class PutPrincipalPolicy implements KmsOperation<PutPrincipalPolicy.Request, NoResult> {

  public record Request(
      @Member.Required @Member.Length(min = 1, max = 2048) String principalArn,
      @Member.Required @Member.Length(min = 1, max = 131072) String policyDocument) {}

  private final PrincipalPolicyRepository policies;
  private final Transactions transactions;

  PutPrincipalPolicy(PrincipalPolicyRepository policies, Transactions transactions) {
    this.policies = policies;
    this.transactions = transactions;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    String account =
        AccountRoot.requireCallerIsRootOf(
            context, KmsAction.PUT_PRINCIPAL_POLICY, request.principalArn());
    KeyPolicies.parse(request.policyDocument(), PolicyDocument.Kind.IDENTITY_POLICY);
    return transactions
        .inTransaction(
            () ->
                policies.put(
                    Principal.identityPolicyOwnerOf(request.principalArn()),
                    account,
                    request.policyDocument(),
                    context.receivedAt()))
        .replaceWith(NoResult.INSTANCE);
  }
}
