package dev.keyhaven.kms.domain.policy;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;

/** Builds the one error every policy defect maps to: {@code MalformedPolicyDocumentException}. */
final class Malformed {
  private Malformed() {}

  static KmsException because(String message) {
    return new KmsException(ErrorCode.MALFORMED_POLICY_DOCUMENT, message);
  }
}
