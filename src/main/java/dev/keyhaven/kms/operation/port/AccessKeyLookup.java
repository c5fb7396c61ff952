package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the long-term access key an AWS Signature Version 4 request names in its credential scope
 * (AWS General Reference, "Create a signed AWS API request"). The persistence layer provides the
 * implementation; until it exists no access key is known and every SigV4 request is an unknown
 * client.
 *
 * <p>Contract: {@link #find} returns empty for an unknown, deleted or inactive key and never throws
 * for an unknown id. The returned secret belongs to the caller for the duration of the request: it
 * is used as an HMAC key and never logged, stored or echoed.
 */
public interface AccessKeyLookup {

  /**
   * An active access key.
   *
   * @param accessKeyId e.g. {@code AKIAIOSFODNN7EXAMPLE}
   * @param principalArn the IAM principal the key belongs to, e.g. {@code
   *     arn:aws:iam::111122223333:user/alice}
   * @param secretAccessKey the secret access key as UTF-8 bytes (40 characters for AWS-issued keys)
   */
  record Credential(String accessKeyId, String principalArn, SecretBytes secretAccessKey) {
    public Credential {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(principalArn, "principalArn");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    @Override
    public String toString() {
      return "Credential[" + accessKeyId + ", " + principalArn + "]";
    }
  }

  /** The active key with this id, or empty. */
  Optional<Credential> find(String accessKeyId);
}
