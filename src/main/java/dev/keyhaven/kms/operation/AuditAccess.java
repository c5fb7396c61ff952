package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.KmsAction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may read and verify the audit trail: an account's root principal, or a principal whose
 * identity policy allows the action ({@code keyhaven:LookupEvents}, {@code
 * keyhaven:VerifyAuditTrail}) — as CloudTrail's LookupEvents is governed by IAM alone.
 */
@ApplicationScoped
public class AuditAccess {
  private final Authorization authorization;

  AuditAccess(Authorization authorization) {
    this.authorization = authorization;
  }

  public Uni<Void> require(RequestContext context, KmsAction action) {
    if (context.accountRoot().equals(context.caller().principalArn())) {
      return Uni.createFrom().voidItem();
    }
    return authorization.require(context, action, null, Conditions.none());
  }
}
