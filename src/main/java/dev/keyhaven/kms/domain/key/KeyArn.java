package dev.keyhaven.kms.domain.key;

import java.util.UUID;

/** A key ARN, {@code arn:aws:kms:<region>:<account>:key/<key-id>} (Developer Guide, Key ARN). */
public record KeyArn(String region, String accountId, UUID keyId) {

  @Override
  public String toString() {
    return "arn:aws:kms:" + region + ":" + accountId + ":key/" + keyId;
  }
}
