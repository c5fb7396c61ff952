package dev.keyhaven.kms.domain.key;

/**
 * AWS KMS KeyState (API Reference, KeyMetadata.KeyState). Keyhaven produces Enabled, Disabled,
 * PendingDeletion and PendingImport; the multi-Region and custom-key-store states exist for the
 * wire vocabulary only.
 */
public enum KeyState implements AwsEnum {
  CREATING("Creating"),
  ENABLED("Enabled"),
  DISABLED("Disabled"),
  PENDING_DELETION("PendingDeletion"),
  PENDING_IMPORT("PendingImport"),
  PENDING_REPLICA_DELETION("PendingReplicaDeletion"),
  UNAVAILABLE("Unavailable"),
  UPDATING("Updating");

  private final String wireName;

  KeyState(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }
}
