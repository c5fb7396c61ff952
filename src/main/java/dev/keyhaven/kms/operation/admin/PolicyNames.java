package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.KmsException;

/** AWS KMS API Reference, PutKeyPolicy PolicyName: "The only valid value is default". */
final class PolicyNames {
  static final String DEFAULT = "default";

  private PolicyNames() {}

  /** A PolicyName member, when present, must be {@code default}. */
  static void requireDefault(String policyName) {
    if (policyName != null && !DEFAULT.equals(policyName)) {
      throw KmsException.notFound("No such policy exists: " + policyName);
    }
  }
}
