package dev.keyhaven.kms.operation.crypto.xks;

import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.Validator;

/**
 * The {@code requestMetadata} AWS KMS sends with every XKS call (aws-kms-xksproxy-api-spec, each
 * operation and Appendix B): who called AWS KMS, with which KMS key and operation. It is recorded
 * in the call's audit event and offered to the key policy as condition keys (docs/xks.md): {@code
 * xks:AwsPrincipalArn}, {@code xks:AwsSourceVpc}, {@code xks:AwsSourceVpce}, {@code xks:KmsKeyArn},
 * {@code xks:KmsOperation}, {@code xks:KmsRequestId}, {@code xks:KmsViaService}.
 */
public record RequestMetadata(
    String awsPrincipalArn,
    String awsSourceVpc,
    String awsSourceVpce,
    String kmsKeyArn,
    String kmsOperation,
    String kmsRequestId,
    String kmsViaService) {
  /** ARNs up to 2048 characters must be accepted (spec, "API operations"). */
  static final int MAX_ARN = 2048;

  private static final int MAX_TEXT = 256;

  /**
   * Checks the members a key operation requires: awsPrincipalArn, kmsOperation, kmsRequestId, and
   * kmsKeyArn unless {@code keyArnOptional} (GetKeyMetadata during CreateKey). Other values of
   * kmsOperation are accepted (the spec: a proxy MUST NOT reject them); kmsRequestId is opaque.
   */
  static void require(RequestMetadata metadata, boolean keyArnOptional) {
    new Validator().required("requestMetadata", metadata).check();
    Validator v =
        new Validator()
            .required("requestMetadata.awsPrincipalArn", metadata.awsPrincipalArn())
            .length("requestMetadata.awsPrincipalArn", metadata.awsPrincipalArn(), 1, MAX_ARN)
            .required("requestMetadata.kmsOperation", metadata.kmsOperation())
            .length("requestMetadata.kmsOperation", metadata.kmsOperation(), 1, MAX_TEXT)
            .required("requestMetadata.kmsRequestId", metadata.kmsRequestId())
            .length("requestMetadata.kmsRequestId", metadata.kmsRequestId(), 1, MAX_TEXT)
            .length("requestMetadata.kmsKeyArn", metadata.kmsKeyArn(), 1, MAX_ARN)
            .length("requestMetadata.awsSourceVpc", metadata.awsSourceVpc(), 1, MAX_TEXT)
            .length("requestMetadata.awsSourceVpce", metadata.awsSourceVpce(), 1, MAX_TEXT)
            .length("requestMetadata.kmsViaService", metadata.kmsViaService(), 1, MAX_TEXT);
    if (!keyArnOptional) {
      v.required("requestMetadata.kmsKeyArn", metadata.kmsKeyArn());
    }
    v.check();
  }

  /** The condition keys of this metadata (absent members are absent keys). */
  Conditions conditions() {
    return Conditions.none()
        .with("xks:AwsPrincipalArn", awsPrincipalArn)
        .with("xks:AwsSourceVpc", awsSourceVpc)
        .with("xks:AwsSourceVpce", awsSourceVpce)
        .with("xks:KmsKeyArn", kmsKeyArn)
        .with("xks:KmsOperation", kmsOperation)
        .with("xks:KmsRequestId", kmsRequestId)
        .with("xks:KmsViaService", kmsViaService);
  }
}
