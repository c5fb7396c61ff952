package dev.keyhaven.kms.domain.key;

/**
 * The actions Keyhaven serves: AWS KMS's, and its own extension API. {@link #wireName()} is the
 * operation name used in {@code X-Amz-Target: TrentService.<name>} ({@code KeyhavenAdmin.<name>}
 * for extensions), in CloudTrail's {@code eventName} and, prefixed with {@code kms:} ({@code
 * keyhaven:}), in policies.
 *
 * <p>Each action carries its key-state rule (AWS Developer Guide, "Key states of AWS KMS keys",
 * reference §1.4) and its plane: the data plane is what the crypto function serves, everything else
 * is key administration.
 */
public enum KmsAction implements AwsEnum {
  CREATE_KEY("CreateKey", StateRule.NONE, Plane.ADMIN),
  DESCRIBE_KEY("DescribeKey", StateRule.ANY, Plane.CRYPTO),
  LIST_KEYS("ListKeys", StateRule.NONE, Plane.ADMIN),
  ENABLE_KEY("EnableKey", StateRule.ENABLE_DISABLE, Plane.ADMIN),
  DISABLE_KEY("DisableKey", StateRule.ENABLE_DISABLE, Plane.ADMIN),
  UPDATE_KEY_DESCRIPTION("UpdateKeyDescription", StateRule.NOT_PENDING_DELETION, Plane.ADMIN),
  SCHEDULE_KEY_DELETION("ScheduleKeyDeletion", StateRule.NOT_PENDING_DELETION, Plane.ADMIN),
  CANCEL_KEY_DELETION("CancelKeyDeletion", StateRule.PENDING_DELETION_ONLY, Plane.ADMIN),
  CREATE_ALIAS("CreateAlias", StateRule.NOT_PENDING_DELETION, Plane.ADMIN),
  UPDATE_ALIAS("UpdateAlias", StateRule.NOT_PENDING_DELETION, Plane.ADMIN),
  DELETE_ALIAS("DeleteAlias", StateRule.ANY, Plane.ADMIN),
  LIST_ALIASES("ListAliases", StateRule.ANY, Plane.ADMIN),
  TAG_RESOURCE("TagResource", StateRule.NOT_PENDING_DELETION, Plane.ADMIN),
  UNTAG_RESOURCE("UntagResource", StateRule.NOT_PENDING_DELETION, Plane.ADMIN),
  LIST_RESOURCE_TAGS("ListResourceTags", StateRule.ANY, Plane.ADMIN),
  ENCRYPT("Encrypt", StateRule.CRYPTO, Plane.CRYPTO),
  DECRYPT("Decrypt", StateRule.CRYPTO, Plane.CRYPTO),
  RE_ENCRYPT("ReEncrypt", StateRule.CRYPTO, Plane.CRYPTO),
  GENERATE_DATA_KEY("GenerateDataKey", StateRule.CRYPTO, Plane.CRYPTO),
  GENERATE_DATA_KEY_WITHOUT_PLAINTEXT(
      "GenerateDataKeyWithoutPlaintext", StateRule.CRYPTO, Plane.CRYPTO),
  GENERATE_RANDOM("GenerateRandom", StateRule.NONE, Plane.CRYPTO),
  GET_KEY_POLICY("GetKeyPolicy", StateRule.ANY, Plane.ADMIN),
  PUT_KEY_POLICY("PutKeyPolicy", StateRule.ANY, Plane.ADMIN),
  LIST_KEY_POLICIES("ListKeyPolicies", StateRule.ANY, Plane.ADMIN),
  // Authorization-only: ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo
  // on the destination (AWS KMS API Reference, ReEncrypt "Required permissions").
  RE_ENCRYPT_FROM("ReEncryptFrom", StateRule.CRYPTO, Plane.CRYPTO),
  RE_ENCRYPT_TO("ReEncryptTo", StateRule.CRYPTO, Plane.CRYPTO),
  // Grants. CreateGrant's row of the key-state table is the crypto rule: Enabled only
  // (Disabled → DisabledException, PendingDeletion → KMSInvalidStateException).
  CREATE_GRANT("CreateGrant", StateRule.CRYPTO, Plane.ADMIN),
  LIST_GRANTS("ListGrants", StateRule.ANY, Plane.ADMIN),
  LIST_RETIRABLE_GRANTS("ListRetirableGrants", StateRule.NONE, Plane.ADMIN),
  RETIRE_GRANT("RetireGrant", StateRule.ANY, Plane.ADMIN),
  REVOKE_GRANT("RevokeGrant", StateRule.ANY, Plane.ADMIN),
  // Rotation (AWS KMS API Reference, EnableKeyRotation … ListKeyRotations; key-state table rows
  // EnableKeyRotation/DisableKeyRotation/GetKeyRotationStatus; RotateKeyOnDemand follows the
  // EnableKeyRotation row, ListKeyRotations the GetKeyRotationStatus row; both also serve
  // symmetric EXTERNAL keys, whose imported material rotates on demand since 2025).
  ENABLE_KEY_ROTATION("EnableKeyRotation", StateRule.ROTATION, Plane.ADMIN),
  DISABLE_KEY_ROTATION("DisableKeyRotation", StateRule.ROTATION, Plane.ADMIN),
  GET_KEY_ROTATION_STATUS("GetKeyRotationStatus", StateRule.ROTATION_STATUS, Plane.ADMIN),
  ROTATE_KEY_ON_DEMAND("RotateKeyOnDemand", StateRule.ON_DEMAND_ROTATION, Plane.ADMIN),
  LIST_KEY_ROTATIONS("ListKeyRotations", StateRule.ROTATION_LIST, Plane.ADMIN),
  // AWS KMS API Reference, GetKeyLastUsage: key id or key ARN, never cross-account, errors
  // without KMSInvalidStateException (so every key state); kms:GetKeyLastUsage in the key policy.
  // Key administration (the console's key details), not the data plane.
  GET_KEY_LAST_USAGE("GetKeyLastUsage", StateRule.ANY, Plane.ADMIN),
  // Asymmetric, HMAC and key-agreement keys, data key pairs: cryptographic operations, Enabled
  // keys only (key-state table rows GetPublicKey, Sign, Verify, GenerateMac, VerifyMac,
  // GenerateDataKeyPair[WithoutPlaintext]; DeriveSharedSecret follows them).
  GET_PUBLIC_KEY("GetPublicKey", StateRule.CRYPTO, Plane.CRYPTO),
  SIGN("Sign", StateRule.CRYPTO, Plane.CRYPTO),
  VERIFY("Verify", StateRule.CRYPTO, Plane.CRYPTO),
  GENERATE_MAC("GenerateMac", StateRule.CRYPTO, Plane.CRYPTO),
  VERIFY_MAC("VerifyMac", StateRule.CRYPTO, Plane.CRYPTO),
  DERIVE_SHARED_SECRET("DeriveSharedSecret", StateRule.CRYPTO, Plane.CRYPTO),
  GENERATE_DATA_KEY_PAIR("GenerateDataKeyPair", StateRule.CRYPTO, Plane.CRYPTO),
  GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT(
      "GenerateDataKeyPairWithoutPlaintext", StateRule.CRYPTO, Plane.CRYPTO),
  // Importing key material (BYOK): key administration.
  GET_PARAMETERS_FOR_IMPORT("GetParametersForImport", StateRule.IMPORT, Plane.ADMIN),
  IMPORT_KEY_MATERIAL("ImportKeyMaterial", StateRule.IMPORT, Plane.ADMIN),
  DELETE_IMPORTED_KEY_MATERIAL(
      "DeleteImportedKeyMaterial", StateRule.IMPORTED_MATERIAL, Plane.ADMIN),

  // Keyhaven extension API (X-Amz-Target: KeyhavenAdmin.<name>; IAM action keyhaven:<name>).
  CREATE_ACCESS_KEY("CreateAccessKey", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  LIST_ACCESS_KEYS("ListAccessKeys", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  DELETE_ACCESS_KEY("DeleteAccessKey", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  PUT_PRINCIPAL_POLICY("PutPrincipalPolicy", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  GET_PRINCIPAL_POLICY("GetPrincipalPolicy", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  DELETE_PRINCIPAL_POLICY(
      "DeletePrincipalPolicy", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  // The audit trail (docs/audit.md).
  LOOKUP_EVENTS("LookupEvents", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  VERIFY_AUDIT_TRAIL("VerifyAuditTrail", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  GET_AUDIT_PUBLIC_KEY("GetAuditPublicKey", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  // External key stores for AWS KMS (docs/xks.md): their administration ...
  CREATE_XKS_KEY_STORE("CreateXksKeyStore", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  LIST_XKS_KEY_STORES("ListXksKeyStores", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  DELETE_XKS_KEY_STORE("DeleteXksKeyStore", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  ROTATE_XKS_KEY_STORE_CREDENTIAL(
      "RotateXksKeyStoreCredential", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  CREATE_XKS_KEY("CreateXksKey", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  LIST_XKS_KEYS("ListXksKeys", StateRule.NONE, Plane.ADMIN, Service.KEYHAVEN_ADMIN),
  // ... and the XKS proxy API AWS KMS calls (aws-kms-xksproxy-api-spec), served only at
  // /{uriPrefix}/kms/xks/v1/..., never through X-Amz-Target; IAM actions xks:<name>.
  XKS_GET_KEY_METADATA("GetKeyMetadata", StateRule.ANY, Plane.CRYPTO, Service.XKS),
  XKS_ENCRYPT("Encrypt", StateRule.CRYPTO, Plane.CRYPTO, Service.XKS),
  XKS_DECRYPT("Decrypt", StateRule.CRYPTO, Plane.CRYPTO, Service.XKS),
  XKS_GET_HEALTH_STATUS("GetHealthStatus", StateRule.NONE, Plane.CRYPTO, Service.XKS);

  /** The API an action belongs to: its X-Amz-Target prefix and IAM action namespace. */
  public enum Service {
    /** AWS KMS itself. */
    KMS("TrentService", "kms"),
    /** Keyhaven's own administration API (access keys, identity policies, audit lookup). */
    KEYHAVEN_ADMIN("KeyhavenAdmin", "keyhaven"),
    /** The XKS proxy API (served by path, not by target; the prefix names it in audit events). */
    XKS("XksProxy", "xks");

    private final String targetPrefix;
    private final String iamPrefix;

    Service(String targetPrefix, String iamPrefix) {
      this.targetPrefix = targetPrefix;
      this.iamPrefix = iamPrefix;
    }

    public String targetPrefix() {
      return targetPrefix;
    }

    public String iamPrefix() {
      return iamPrefix;
    }
  }

  /** Which key states an action accepts (the rows of the AWS key-state table). */
  public enum StateRule {
    /** The action names no key. */
    NONE,
    /** Every state. */
    ANY,
    /** Enabled only (cryptographic operations). */
    CRYPTO,
    /** Enabled or Disabled. */
    ENABLE_DISABLE,
    /** Every state except PendingDeletion. */
    NOT_PENDING_DELETION,
    /** PendingDeletion only. */
    PENDING_DELETION_ONLY,
    /**
     * Rotation changes: symmetric AWS_KMS keys only (else UnsupportedOperationException), then
     * Enabled only (Disabled → DisabledException, PendingDeletion → KMSInvalidStateException).
     */
    ROTATION,
    /** Rotation reads: symmetric AWS_KMS keys only, in every state. */
    ROTATION_STATUS,
    /**
     * RotateKeyOnDemand, in AWS's recorded order: Enabled only first (Disabled → DisabledException,
     * PendingImport → KMSInvalidStateException, whatever the spec), then symmetric keys only
     * (UnsupportedOperationException without a message), of origin AWS_KMS or EXTERNAL.
     */
    ON_DEMAND_ROTATION,
    /** ListKeyRotations: symmetric keys of origin AWS_KMS or EXTERNAL, in every state. */
    ROTATION_LIST,
    /**
     * Importing material: EXTERNAL keys only (else UnsupportedOperationException), every state but
     * PendingDeletion (key-state table rows GetParametersForImport, ImportKeyMaterial).
     */
    IMPORT,
    /** DeleteImportedKeyMaterial: EXTERNAL keys only, in every state (PendingImport: no effect). */
    IMPORTED_MATERIAL
  }

  /** Which function serves the action when deployed as separate Lambda functions. */
  public enum Plane {
    ADMIN,
    CRYPTO
  }

  private final String wireName;
  private final StateRule stateRule;
  private final Plane plane;
  private final Service service;

  KmsAction(String wireName, StateRule stateRule, Plane plane) {
    this(wireName, stateRule, plane, Service.KMS);
  }

  KmsAction(String wireName, StateRule stateRule, Plane plane, Service service) {
    this.wireName = wireName;
    this.stateRule = stateRule;
    this.plane = plane;
    this.service = service;
  }

  @Override
  public String wireName() {
    return wireName;
  }

  public StateRule stateRule() {
    return stateRule;
  }

  public Plane plane() {
    return plane;
  }

  public Service service() {
    return service;
  }

  /**
   * Whether a principal of another account may call this action on a key (when the key policy and
   * its identity policy allow): the "cross-account use" column of the AWS KMS API Reference.
   */
  public boolean crossAccount() {
    return switch (this) {
      case DESCRIBE_KEY,
          ENCRYPT,
          DECRYPT,
          RE_ENCRYPT,
          RE_ENCRYPT_FROM,
          RE_ENCRYPT_TO,
          GENERATE_DATA_KEY,
          GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
          CREATE_GRANT,
          LIST_GRANTS,
          RETIRE_GRANT,
          REVOKE_GRANT,
          GET_KEY_ROTATION_STATUS,
          GET_PUBLIC_KEY,
          SIGN,
          VERIFY,
          GENERATE_MAC,
          VERIFY_MAC,
          DERIVE_SHARED_SECRET,
          GENERATE_DATA_KEY_PAIR,
          GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT ->
          true;
      default -> false;
    };
  }

  /**
   * CloudTrail's {@code readOnly}: true for actions that change nothing — the cryptographic
   * operations (AWS records Encrypt, Decrypt, GenerateDataKey… as read-only) and every Describe,
   * Get, List, Lookup and Verify. The others change state, and their audit event is written in the
   * transaction of the change.
   */
  public boolean readOnly() {
    if (plane == Plane.CRYPTO) {
      return true;
    }
    for (String prefix : READ_ONLY_PREFIXES) {
      if (wireName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a success of this action is a use of its keys that GetKeyLastUsage reports: the valid
   * values of KeyLastUsageData.Operation (AWS KMS API Reference, KeyLastUsageData) — the
   * cryptographic operations, but not GetPublicKey, GenerateRandom (no key) or the authorization
   * names ReEncryptFrom/ReEncryptTo (a ReEncrypt counts for both its keys).
   */
  public boolean tracksLastUsage() {
    return switch (this) {
      case ENCRYPT,
          DECRYPT,
          RE_ENCRYPT,
          GENERATE_DATA_KEY,
          GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
          GENERATE_DATA_KEY_PAIR,
          GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT,
          SIGN,
          VERIFY,
          GENERATE_MAC,
          VERIFY_MAC,
          DERIVE_SHARED_SECRET ->
          true;
      default -> false;
    };
  }

  private static final String[] READ_ONLY_PREFIXES = {
    "Describe", "Get", "List", "Lookup", "Verify"
  };

  /**
   * The name in audit events ({@code eventName}) and metrics: the wire name, and {@code
   * XksProxy.<name>} for the XKS proxy API, which is never mistaken for (nor counted as a key's
   * last use like) the AWS KMS operation of the same name.
   */
  public String eventName() {
    return service == Service.XKS ? target() : wireName;
  }

  /** The IAM action string, e.g. {@code kms:Encrypt} or {@code keyhaven:CreateAccessKey}. */
  public String iamAction() {
    return service.iamPrefix() + ":" + wireName;
  }

  /** The X-Amz-Target value, e.g. {@code TrentService.Encrypt}. */
  public String target() {
    return service.targetPrefix() + "." + wireName;
  }
}
