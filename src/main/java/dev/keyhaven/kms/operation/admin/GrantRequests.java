package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.grant.GrantConstraints;
import dev.keyhaven.kms.domain.grant.GrantOperation;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.Validator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CreateGrant's member validation beyond its annotated members, and its authorization context (AWS
 * KMS API Reference, CreateGrant request members and GrantConstraints; Developer Guide, "AWS KMS
 * condition keys" for CreateGrant).
 */
final class GrantRequests {
  static final int MAX_CONSTRAINT_PAIRS = 8;
  static final int MAX_CONSTRAINT_VALUE = 384;

  private GrantRequests() {}

  /**
   * The rules of CreateGrant's members that no annotation states, after the annotated ones: each
   * operation an AWS grant operation, and the constraints' pairs.
   */
  static void validate(CreateGrant.Request r, Validator v) {
    List<String> allowed = AwsEnum.wireNames(GrantOperation.class);
    if (r.operations() != null
        && r.operations().stream().anyMatch(op -> op == null || !allowed.contains(op))) {
      v.fail(
          "Value '"
              + r.operations()
              + "' at 'operations' failed to satisfy constraint: Member must"
              + " satisfy constraint: [Member must satisfy enum value set: "
              + allowed
              + "]");
    }
    if (r.constraints() != null) {
      constraint(
          v, "constraints.encryptionContextEquals", r.constraints().encryptionContextEquals());
      constraint(
          v, "constraints.encryptionContextSubset", r.constraints().encryptionContextSubset());
    }
  }

  /** Each constraint: up to 8 pairs, each value up to 384 characters, no null values. */
  private static void constraint(Validator v, String member, Map<String, String> pairs) {
    if (pairs == null) {
      return;
    }
    v.encryptionContext(member, pairs);
    if (pairs.size() > MAX_CONSTRAINT_PAIRS) {
      v.fail(
          "Value at '"
              + member
              + "' failed to satisfy constraint: Member must have length less"
              + " than or equal to "
              + MAX_CONSTRAINT_PAIRS);
    }
    pairs.forEach(
        (k, value) -> {
          if (value != null && value.length() > MAX_CONSTRAINT_VALUE) {
            v.fail(
                "Value at '"
                    + member
                    + "."
                    + k
                    + "' failed to satisfy constraint: Member must have"
                    + " length less than or equal to "
                    + MAX_CONSTRAINT_VALUE);
          }
        });
  }

  /**
   * The CreateGrant condition keys: kms:GrantOperations (multi-valued), kms:GranteePrincipal,
   * kms:RetiringPrincipal, kms:GrantConstraintType, kms:GrantIsForAWSResource (always false: no AWS
   * service calls Keyhaven), kms:EncryptionContext:* / kms:EncryptionContextKeys of the
   * constraints; plus the grant itself, for grants that allow CreateGrant.
   */
  static Conditions conditions(
      CreateGrant.Request r, Set<GrantOperation> operations, GrantConstraints constraints) {
    Map<String, String> context = new LinkedHashMap<>();
    if (constraints.encryptionContextSubset() != null) {
      context.putAll(constraints.encryptionContextSubset());
    }
    if (constraints.encryptionContextEquals() != null) {
      context.putAll(constraints.encryptionContextEquals());
    }
    Conditions c =
        Conditions.encryptionContext(context)
            .withAll("kms:GrantOperations", operations.stream().map(AwsEnum::wireName).toList())
            .with("kms:GranteePrincipal", r.granteePrincipal())
            .with("kms:RetiringPrincipal", r.retiringPrincipal())
            .with("kms:GrantIsForAWSResource", "false")
            .requestedGrant(operations, constraints);
    if (constraints.encryptionContextEquals() != null) {
      c.with("kms:GrantConstraintType", "EncryptionContextEquals");
    }
    if (constraints.encryptionContextSubset() != null) {
      c.with("kms:GrantConstraintType", "EncryptionContextSubset");
    }
    return c;
  }
}
