package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.ImportState;
import dev.keyhaven.kms.domain.key.KeyAlgorithms;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KmsKey;
import java.time.Instant;
import java.util.List;

/**
 * The KeyMetadata structure of CreateKey and DescribeKey (AWS KMS API Reference, KeyMetadata).
 * {@code AWSAccountId} keeps AWS's exact casing; every other member is its lowerCamel form.
 *
 * <p>The algorithm lists are AWS's per key spec and usage ({@link KeyAlgorithms}); a list that does
 * not apply is left out, as AWS does: EncryptionAlgorithms for ENCRYPT_DECRYPT keys,
 * SigningAlgorithms for SIGN_VERIFY keys, MacAlgorithms for HMAC keys, KeyAgreementAlgorithms for
 * KEY_AGREEMENT keys. CurrentKeyMaterialId is present for symmetric encryption keys only (AWS:
 * "present for symmetric encryption keys"), the keys that rotate, once they have material — and, as
 * recorded from AWS, still after DeleteImportedKeyMaterial or expiry (the material stays associated
 * with the key). ExpirationModel and ValidTo describe imported material while the key holds some.
 */
public record KeyMetadata(
    String AWSAccountId,
    String keyId,
    String arn,
    Instant creationDate,
    boolean enabled,
    String description,
    String keyUsage,
    String keyState,
    Instant deletionDate,
    String origin,
    String keyManager,
    String customerMasterKeySpec,
    String keySpec,
    List<String> encryptionAlgorithms,
    List<String> signingAlgorithms,
    List<String> macAlgorithms,
    List<String> keyAgreementAlgorithms,
    boolean multiRegion,
    Integer pendingDeletionWindowInDays,
    String currentKeyMaterialId,
    String expirationModel,
    Instant validTo) {

  public static KeyMetadata of(KmsKey key) {
    KeySpec spec = key.keySpec();
    ImportState imported = key.importState();
    return new KeyMetadata(
        key.accountId(),
        key.keyId().toString(),
        key.arn().toString(),
        key.creationDate(),
        key.enabled(),
        key.description(),
        key.keyUsage().wireName(),
        key.keyState().wireName(),
        key.deletionDate(),
        key.origin().wireName(),
        "CUSTOMER",
        spec.wireName(),
        spec.wireName(),
        wireNames(KeyAlgorithms.encryption(spec, key.keyUsage())),
        wireNames(KeyAlgorithms.signing(spec, key.keyUsage())),
        wireNames(KeyAlgorithms.mac(spec, key.keyUsage())),
        wireNames(KeyAlgorithms.keyAgreement(spec, key.keyUsage())),
        false,
        key.pendingDeletionWindowInDays(),
        spec == KeySpec.SYMMETRIC_DEFAULT && (key.hasMaterial() || imported != null)
            ? key.currentKeyMaterialId()
            : null,
        imported == null || imported.expirationModel() == null
            ? null
            : imported.expirationModel().wireName(),
        imported == null ? null : imported.validTo());
  }

  /** The wire literals, or null (member left out) for an empty list. */
  public static List<String> wireNames(List<? extends AwsEnum> algorithms) {
    return algorithms.isEmpty() ? null : algorithms.stream().map(AwsEnum::wireName).toList();
  }
}
