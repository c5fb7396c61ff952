package dev.keyhaven.kms.domain.key;

import java.util.UUID;

/**
 * A key ARN, {@code arn:<partition>:kms:<region>:<account>:key/<key-id>} (Developer Guide, Key
 * ARN). Two ARNs that differ only in partition name different keys.
 */
public record KeyArn(String partition, String region, String accountId, UUID keyId) {

  @Override
  public String toString() {
    return "arn:" + partition + ":kms:" + region + ":" + accountId + ":key/" + keyId;
  }
}
