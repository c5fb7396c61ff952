package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.KmsException;
import io.smallrye.mutiny.Uni;

/**
 * The DryRun member of the cryptographic operations (AWS KMS Developer Guide, "Testing your AWS
 * KMS API calls"): the call is checked in full — parameters, authorization, key state, the
 * ciphertext — and then answers DryRunOperationException instead of its result. A call that would
 * fail answers its real error.
 */
final class DryRun {
  private DryRun() {}

  static <R> Uni<R> unlessDryRun(Boolean dryRun, Uni<R> call) {
    if (!Boolean.TRUE.equals(dryRun)) {
      return call;
    }
    return call.map(
        result -> {
          throw KmsException.dryRun();
        });
  }
}
