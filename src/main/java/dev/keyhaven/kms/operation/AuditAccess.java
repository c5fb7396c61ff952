package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Who may read and verify the audit trail: an account's root principal, or a principal whose
 * identity policy allows the action ({@code keyhaven:LookupEvents}, {@code
 * keyhaven:VerifyAuditTrail}) — as CloudTrail's LookupEvents is governed by IAM alone. LookupEvents
 * shows only the caller's account's events; VerifyAuditTrail walks every account's records (and
 * reveals how many there are), so only principals of the deployment's operator accounts ({@code
 * kms.audit.operator-accounts}) may run it.
 */
@ApplicationScoped
public class AuditAccess {
  /**
   * The accounts whose principals may run VerifyAuditTrail ({@code kms.audit.operator-accounts}).
   */
  public record OperatorAccounts(Set<String> accounts) {
    public OperatorAccounts {
      accounts = Set.copyOf(accounts);
    }
  }

  private final Authorization authorization;
  private final Set<String> operatorAccounts;

  AuditAccess(Authorization authorization, OperatorAccounts operators) {
    this.authorization = authorization;
    this.operatorAccounts = operators.accounts();
  }

  public Uni<Void> require(RequestContext context, KmsAction action) {
    if (action == KmsAction.VERIFY_AUDIT_TRAIL && !operatorAccounts.contains(context.accountId())) {
      throw new KmsException(
          ErrorCode.ACCESS_DENIED,
          "User: "
              + context.caller().principalArn()
              + " is not authorized to perform: "
              + action.iamAction()
              + " because only the deployment's operator accounts may verify"
              + " the audit trail");
    }
    if (context.accountRoot().equals(context.caller().principalArn())) {
      return Uni.createFrom().voidItem();
    }
    return authorization.require(context, action, null, Conditions.none());
  }
}
