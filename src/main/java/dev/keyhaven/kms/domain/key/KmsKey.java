package dev.keyhaven.kms.domain.key;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A KMS key: its metadata and the number of its current key-material version.
 *
 * <p>Immutable. A state change returns a new value (the aggregate never half-changes); the
 * repository stores it with optimistic locking on {@link #revision()}. The key material itself is
 * not here: each version is stored wrapped under the root key and loaded only by crypto
 * operations.
 *
 * @param currentVersion the version Encrypt uses; Decrypt uses the one named in the ciphertext
 * @param currentKeyMaterialId AWS's KeyMaterialId of the current version (64 hex characters)
 * @param policy the key policy document as the caller sent it (evaluated by the identity issue)
 * @param revision optimistic-lock counter, incremented by the repository on every update
 */
public record KmsKey(
    KeyArn arn,
    KeySpec keySpec,
    KeyUsage keyUsage,
    Origin origin,
    KeyState keyState,
    String description,
    Instant creationDate,
    Instant deletionDate,
    Integer pendingDeletionWindowInDays,
    int currentVersion,
    String currentKeyMaterialId,
    String policy,
    Map<String, String> tags,
    long revision) {

  public KmsKey {
    tags = Map.copyOf(tags);
  }

  public UUID keyId() {
    return arn.keyId();
  }

  public String accountId() {
    return arn.accountId();
  }

  public boolean enabled() {
    return keyState == KeyState.ENABLED;
  }

  /**
   * Enforces the AWS key-state table for {@code action} (Developer Guide, "Key states of AWS KMS
   * keys"; messages verbatim from its footnotes, reference §1.4).
   *
   * @return this key, for chaining
   */
  public KmsKey requireStateFor(KmsAction action) {
    KmsAction.StateRule rule = action.stateRule();
    boolean allowed =
        switch (rule) {
          case NONE, ANY -> true;
          case CRYPTO -> keyState == KeyState.ENABLED;
          case ENABLE_DISABLE -> keyState == KeyState.ENABLED || keyState == KeyState.DISABLED;
          case NOT_PENDING_DELETION -> keyState != KeyState.PENDING_DELETION;
          case PENDING_DELETION_ONLY -> keyState == KeyState.PENDING_DELETION;
        };
    if (allowed) {
      return this;
    }
    if (rule == KmsAction.StateRule.PENDING_DELETION_ONLY) {
      // [4] KMSInvalidStateException: <key ARN> is not pending deletion.
      throw KmsException.invalidState(arn + " is not pending deletion.");
    }
    throw switch (keyState) {
      // [1] DisabledException: <key ARN> is disabled.
      case DISABLED -> KmsException.disabled(arn + " is disabled.");
      // [3] KMSInvalidStateException: <key ARN> is pending deletion.
      case PENDING_DELETION -> KmsException.invalidState(arn + " is pending deletion.");
      // [5] KMSInvalidStateException: <key ARN> is pending import.
      case PENDING_IMPORT -> KmsException.invalidState(arn + " is pending import.");
      default ->
          KmsException.invalidState(arn + " is " + keyState.wireName().toLowerCase() + ".");
    };
  }

  /**
   * Checks the key's usage for a cryptographic action (InvalidKeyUsageException, e.g. {@code <key
   * ARN> key usage is SIGN_VERIFY which is not valid for Encrypt.}).
   */
  public KmsKey requireUsage(KeyUsage required, KmsAction action) {
    if (keyUsage != required) {
      throw new KmsException(
          ErrorCode.INVALID_KEY_USAGE,
          arn
              + " key usage is "
              + keyUsage.wireName()
              + " which is not valid for "
              + action.wireName()
              + ".");
    }
    return this;
  }

  public KmsKey withState(KeyState state) {
    return new KmsKey(
        arn, keySpec, keyUsage, origin, state, description, creationDate, null, null,
        currentVersion, currentKeyMaterialId, policy, tags, revision);
  }

  /** ScheduleKeyDeletion: PendingDeletion until {@code now + days}. */
  public KmsKey scheduleDeletion(Instant now, int days) {
    return new KmsKey(
        arn, keySpec, keyUsage, origin, KeyState.PENDING_DELETION, description, creationDate,
        now.plus(Duration.ofDays(days)), days, currentVersion, currentKeyMaterialId, policy, tags,
        revision);
  }

  public KmsKey withDescription(String newDescription) {
    return new KmsKey(
        arn, keySpec, keyUsage, origin, keyState, newDescription, creationDate, deletionDate,
        pendingDeletionWindowInDays, currentVersion, currentKeyMaterialId, policy, tags, revision);
  }

  public KmsKey withPolicy(String newPolicy) {
    return new KmsKey(
        arn, keySpec, keyUsage, origin, keyState, description, creationDate, deletionDate,
        pendingDeletionWindowInDays, currentVersion, currentKeyMaterialId, newPolicy, tags,
        revision);
  }

  public KmsKey withTags(Map<String, String> newTags) {
    return new KmsKey(
        arn, keySpec, keyUsage, origin, keyState, description, creationDate, deletionDate,
        pendingDeletionWindowInDays, currentVersion, currentKeyMaterialId, policy, newTags,
        revision);
  }
}
