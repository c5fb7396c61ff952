package dev.keyhaven.kms.domain.key;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A KMS key: its metadata and the number of its current key-material version.
 *
 * <p>Immutable. A state change returns a new value (the aggregate never half-changes); the
 * repository stores it with optimistic locking on {@link #revision()}. The key material itself is
 * not here: each version is stored wrapped under the root key and loaded only by crypto operations.
 *
 * @param currentVersion the version Encrypt uses; Decrypt uses the one named in the ciphertext
 * @param currentKeyMaterialId AWS's KeyMaterialId of the current version (64 hex characters)
 * @param rotation the automatic rotation schedule and the on-demand rotation count
 * @param policy the key policy document as the caller sent it (evaluated by the identity issue)
 * @param importState imported material (Origin EXTERNAL keys once material was imported), else null
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
    Rotation rotation,
    String policy,
    Map<String, String> tags,
    ImportState importState,
    long revision) {

  /** On-demand rotations AWS allows per key (a quota that cannot be raised). */
  public static final int ON_DEMAND_ROTATION_LIMIT = 25;

  /** RotateKeyOnDemand answers ConflictException this long before an automatic rotation. */
  public static final Duration ROTATION_CONFLICT_WINDOW = Duration.ofMinutes(20);

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
    if (rule == KmsAction.StateRule.ON_DEMAND_ROTATION) {
      return requireOnDemandRotatable();
    }
    if (rule == KmsAction.StateRule.ROTATION || rule == KmsAction.StateRule.ROTATION_STATUS) {
      requireRotatable();
    }
    if (rule == KmsAction.StateRule.ROTATION_LIST) {
      requireSymmetricSpec();
    }
    if (rule == KmsAction.StateRule.IMPORT || rule == KmsAction.StateRule.IMPORTED_MATERIAL) {
      requireOrigin(Origin.EXTERNAL);
    }
    boolean allowed =
        switch (rule) {
          case NONE, ANY, ROTATION_STATUS, ROTATION_LIST, IMPORTED_MATERIAL -> true;
          case CRYPTO, ROTATION, ON_DEMAND_ROTATION -> keyState == KeyState.ENABLED;
          case ENABLE_DISABLE -> keyState == KeyState.ENABLED || keyState == KeyState.DISABLED;
          case NOT_PENDING_DELETION, IMPORT -> keyState != KeyState.PENDING_DELETION;
          case PENDING_DELETION_ONLY -> keyState == KeyState.PENDING_DELETION;
        };
    if (allowed) {
      return this;
    }
    if (rule == KmsAction.StateRule.PENDING_DELETION_ONLY) {
      // [4] KMSInvalidStateException: <key ARN> is not pending deletion.
      throw KmsException.invalidState(arn + " is not pending deletion.");
    }
    throw stateError();
  }

  /**
   * RotateKeyOnDemand's checks in the order recorded from AWS (issue 26): the key state first — a
   * Disabled RSA_4096 key answers DisabledException, an EXTERNAL key without material {@code <key
   * ARN> is pending import.} whatever its spec — then the spec: for any key but a symmetric
   * encryption key, UnsupportedOperationException with no message member (the reason goes to the
   * server log). Keys of both origins pass (AWS_KMS material, or imported material pending
   * rotation: RotateKeyOnDemand checks that itself).
   */
  private KmsKey requireOnDemandRotatable() {
    if (keyState != KeyState.ENABLED) {
      throw stateError();
    }
    if (keySpec != KeySpec.SYMMETRIC_DEFAULT) {
      throw new KmsException(
          ErrorCode.UNSUPPORTED_OPERATION,
          null,
          arn
              + " key spec is "
              + keySpec.wireName()
              + " which is not valid for RotateKeyOnDemand.");
    }
    return this;
  }

  /** The key-state table's error for this key's state ([1], [3], [5] and the others). */
  private KmsException stateError() {
    return switch (keyState) {
      // [1] DisabledException: <key ARN> is disabled.
      case DISABLED -> KmsException.disabled(arn + " is disabled.");
      // [3] KMSInvalidStateException: <key ARN> is pending deletion.
      case PENDING_DELETION -> KmsException.invalidState(arn + " is pending deletion.");
      // [5] KMSInvalidStateException: <key ARN> is pending import.
      case PENDING_IMPORT -> KmsException.invalidState(arn + " is pending import.");
      default -> KmsException.invalidState(arn + " is " + keyState.wireName().toLowerCase() + ".");
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

  /**
   * Rotation is for symmetric encryption keys whose material KMS generated (AWS KMS API Reference,
   * EnableKeyRotation: "You cannot enable automatic rotation of asymmetric KMS keys, HMAC KMS keys,
   * KMS keys with imported key material, or KMS keys in a custom key store"); the others answer
   * UnsupportedOperationException ([6] {@code <key ARN> origin is EXTERNAL which is not valid for
   * this operation.}). Checked before the key state, as AWS's table does for PendingImport keys.
   */
  private void requireRotatable() {
    requireOrigin(Origin.AWS_KMS);
    requireSymmetricSpec();
  }

  /** Symmetric encryption keys only, else UnsupportedOperationException naming the spec. */
  private void requireSymmetricSpec() {
    if (keySpec != KeySpec.SYMMETRIC_DEFAULT) {
      throw KmsException.unsupported(
          arn + " key spec is " + keySpec.wireName() + " which is not valid for this operation.");
    }
  }

  /**
   * [6]/[9] of the key-state table: an operation for keys of another origin answers
   * UnsupportedOperationException ({@code <key ARN> origin is EXTERNAL which is not valid for this
   * operation.}; recorded for GetParametersForImport on an AWS_KMS key: {@code origin is AWS_KMS}).
   */
  private void requireOrigin(Origin required) {
    if (origin != required) {
      throw KmsException.unsupported(
          arn + " origin is " + origin.wireName() + " which is not valid for this operation.");
    }
  }

  /**
   * ImportKeyMaterial: the material whose fingerprint is {@code fingerprint} becomes the key's,
   * with its expiration; a PendingImport key becomes Enabled, any other state stays. AWS KMS API
   * Reference, ImportKeyMaterial: a key's material can be re-imported (to restore it or change its
   * expiration) only if it is the same material, else IncorrectKeyMaterialException.
   */
  public KmsKey importMaterial(String fingerprint, ExpirationModel model, Instant validTo) {
    if (importState != null && !importState.fingerprint().equals(fingerprint)) {
      throw new KmsException(
          ErrorCode.INCORRECT_KEY_MATERIAL,
          "The key material is not the key material that was previously imported into "
              + arn
              + ".");
    }
    KeyState state = keyState == KeyState.PENDING_IMPORT ? KeyState.ENABLED : keyState;
    return with(
        k -> {
          k.keyState = state;
          k.importState = new ImportState(fingerprint, model, validTo);
        });
  }

  /**
   * ImportKeyMaterial of material already associated with the key (its fingerprint matched by the
   * caller) or of new material pending rotation: the key's material expires as {@code model} and
   * {@code validTo} say; a PendingImport key becomes Enabled — the caller calls this only once
   * every material associated with the key is imported again (AWS KMS Developer Guide, "Import key
   * material": a key is usable only while all its key materials are imported).
   */
  public KmsKey withImportedMaterial(ExpirationModel model, Instant validTo) {
    return importMaterial(importState.fingerprint(), model, validTo);
  }

  /**
   * DeleteImportedKeyMaterial, or the maintenance job at ValidTo: the key has no material any more
   * and is PendingImport — unless it is PendingDeletion, which it stays (AWS KMS API Reference,
   * DeleteImportedKeyMaterial). The fingerprint stays, so only the same material can come back.
   */
  public KmsKey deleteImportedMaterial() {
    KeyState state = keyState == KeyState.PENDING_DELETION ? keyState : KeyState.PENDING_IMPORT;
    return with(
        k -> {
          k.keyState = state;
          k.importState = importState == null ? null : importState.withoutMaterial();
        });
  }

  /** Whether the key holds key material: always for AWS_KMS keys, after import for EXTERNAL. */
  public boolean hasMaterial() {
    return origin != Origin.EXTERNAL || (importState != null && importState.hasMaterial());
  }

  /**
   * CancelKeyDeletion: the key returns Disabled (AWS KMS API Reference, CancelKeyDeletion) — or
   * PendingImport if it is an EXTERNAL key whose material is gone, since it cannot be used.
   */
  public KmsKey cancelDeletion() {
    return withState(hasMaterial() ? KeyState.DISABLED : KeyState.PENDING_IMPORT);
  }

  /**
   * GetKeyRotationStatus KeyRotationEnabled: AWS answers false while the key is pending deletion
   * and restores the setting when the deletion is cancelled.
   */
  public boolean automaticRotationEnabled() {
    return rotation.automatic() && keyState != KeyState.PENDING_DELETION;
  }

  /**
   * RotateKeyOnDemand's limits: at most {@value #ON_DEMAND_ROTATION_LIMIT} on-demand rotations per
   * key (AWS KMS Developer Guide, "Rotate keys on demand"; the API Reference still says 10), and
   * none while an automatic rotation is in progress or due within {@link #ROTATION_CONFLICT_WINDOW}
   * (API Reference, ConflictException).
   */
  public KmsKey requireOnDemandRotationAllowed(Instant now) {
    if (rotation.onDemandRotations() >= ON_DEMAND_ROTATION_LIMIT) {
      throw new KmsException(
          ErrorCode.LIMIT_EXCEEDED,
          "The on-demand rotations limit has been reached for the given keyId. No more on-demand"
              + " rotations can be performed for this key: "
              + arn);
    }
    if (rotation.automatic()
        && rotation.nextRotationDate().isBefore(now.plus(ROTATION_CONFLICT_WINDOW))) {
      throw new KmsException(
          ErrorCode.CONFLICT,
          "The request was rejected because an automatic rotation of this key is currently in"
              + " progress or scheduled to begin within the next 20 minutes.");
    }
    return this;
  }

  /** EnableKeyRotation with RotationPeriodInDays {@code days}. */
  public KmsKey enableRotation(Instant now, int days) {
    return withRotation(rotation.enable(now, days));
  }

  /** DisableKeyRotation. */
  public KmsKey disableRotation() {
    return withRotation(rotation.disable());
  }

  /**
   * A new current material version ({@code currentVersion + 1}, KeyMaterialId {@code
   * keyMaterialId}); earlier versions stay for decryption. An automatic rotation moves the next
   * rotation date one period on from {@code now}; an on-demand rotation leaves the schedule alone
   * and counts toward the on-demand limit.
   */
  public KmsKey rotate(String keyMaterialId, RotationType type, Instant now) {
    if (type == RotationType.AUTOMATIC && !rotation.automatic()) {
      throw new IllegalStateException("automatic rotation of " + arn + " without a schedule");
    }
    return with(
        k -> {
          k.currentVersion = currentVersion + 1;
          k.currentKeyMaterialId = keyMaterialId;
          k.rotation = rotation.after(type, now);
        });
  }

  private KmsKey withRotation(Rotation newRotation) {
    return with(k -> k.rotation = newRotation);
  }

  public KmsKey withState(KeyState state) {
    return with(
        k -> {
          k.keyState = state;
          k.deletionDate = null;
          k.pendingDeletionWindowInDays = null;
        });
  }

  /** ScheduleKeyDeletion: PendingDeletion until {@code now + days}. */
  public KmsKey scheduleDeletion(Instant now, int days) {
    return with(
        k -> {
          k.keyState = KeyState.PENDING_DELETION;
          k.deletionDate = now.plus(Duration.ofDays(days));
          k.pendingDeletionWindowInDays = days;
        });
  }

  public KmsKey withDescription(String newDescription) {
    return with(k -> k.description = newDescription);
  }

  public KmsKey withPolicy(String newPolicy) {
    return with(k -> k.policy = newPolicy);
  }

  public KmsKey withTags(Map<String, String> newTags) {
    return with(k -> k.tags = newTags);
  }

  /**
   * The members a change may set; identity (ARN, spec, usage, origin, creation date) and {@link
   * #revision()} (the repository's) never change.
   */
  private static final class Change {
    KeyState keyState;
    String description;
    Instant deletionDate;
    Integer pendingDeletionWindowInDays;
    int currentVersion;
    String currentKeyMaterialId;
    Rotation rotation;
    String policy;
    Map<String, String> tags;
    ImportState importState;
  }

  /** A copy of this key with what {@code change} sets on a copy of its changeable members. */
  private KmsKey with(Consumer<Change> change) {
    Change k = new Change();
    k.keyState = keyState;
    k.description = description;
    k.deletionDate = deletionDate;
    k.pendingDeletionWindowInDays = pendingDeletionWindowInDays;
    k.currentVersion = currentVersion;
    k.currentKeyMaterialId = currentKeyMaterialId;
    k.rotation = rotation;
    k.policy = policy;
    k.tags = tags;
    k.importState = importState;
    change.accept(k);
    return new KmsKey(
        arn,
        keySpec,
        keyUsage,
        origin,
        k.keyState,
        k.description,
        creationDate,
        k.deletionDate,
        k.pendingDeletionWindowInDays,
        k.currentVersion,
        k.currentKeyMaterialId,
        k.rotation,
        k.policy,
        k.tags,
        k.importState,
        revision);
  }
}
