package dev.keyhaven.kms.domain.grant;

import dev.keyhaven.kms.domain.key.KeyArn;
import dev.keyhaven.kms.domain.policy.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A grant on a KMS key (AWS KMS Developer Guide, "Grants in AWS KMS"): lets {@code
 * granteePrincipal} perform {@code operations} on the key, subject to {@code constraints}. Grants
 * only allow; an explicit Deny in a policy still wins. Immutable.
 *
 * @param grantId 64 hex characters
 * @param name optional friendly name; with the same parameters it makes CreateGrant idempotent
 * @param retiringPrincipal may retire the grant; null when none
 * @param issuingAccount the account that created the grant (AWS shows it as {@code
 *     arn:aws:iam::<account>:root})
 */
public record Grant(
    String grantId,
    KeyArn keyArn,
    String name,
    Instant creationDate,
    String granteePrincipal,
    String retiringPrincipal,
    String issuingAccount,
    Set<GrantOperation> operations,
    GrantConstraints constraints) {

  public Grant {
    operations = Set.copyOf(operations);
    constraints = constraints == null ? GrantConstraints.NONE : constraints;
  }

  /**
   * Whether this grant allows {@code operation} to its grantee for a request with {@code
   * encryptionContext} (never null). Constraints apply only to operations that take an encryption
   * context; a CreateGrant is checked with {@link #allowsCreating}.
   */
  public boolean allows(GrantOperation operation, Map<String, String> encryptionContext) {
    if (!operations.contains(operation)) {
      return false;
    }
    return !operation.takesEncryptionContext() || constraints.satisfiedBy(encryptionContext);
  }

  /**
   * Whether this grant's CreateGrant operation allows creating a grant with {@code
   * requestedOperations} and {@code requestedConstraints}: a subset of this grant's operations and
   * an equally strict or stricter constraint (API Reference, CreateGrant; Developer Guide, "Grant
   * concepts").
   */
  public boolean allowsCreating(
      Set<GrantOperation> requestedOperations, GrantConstraints requestedConstraints) {
    return operations.contains(GrantOperation.CREATE_GRANT)
        && operations.containsAll(requestedOperations)
        && requestedConstraints.atLeastAsStrictAs(constraints);
  }

  /** Same grantee, retiring principal, operations and constraints (Name idempotency). */
  public boolean sameParameters(
      String grantee, String retiring, Set<GrantOperation> ops, GrantConstraints c) {
    return granteePrincipal.equals(grantee)
        && Objects.equals(retiringPrincipal, retiring)
        && operations.equals(Set.copyOf(ops))
        && constraints.equals(c == null ? GrantConstraints.NONE : c);
  }

  /** AWS's IssuingAccount value: the issuing account's root in {@code partition}. */
  public String issuingAccountArn(String partition) {
    return Principal.root(partition, issuingAccount).arn();
  }
}
