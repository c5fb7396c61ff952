package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.EncryptionAlgorithm;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KmsKey;
import java.time.Instant;
import java.util.List;

/**
 * The KeyMetadata structure of CreateKey and DescribeKey (AWS KMS API Reference, KeyMetadata).
 * {@code AWSAccountId} keeps AWS's exact casing; every other member is its lowerCamel form.
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
    boolean multiRegion,
    Integer pendingDeletionWindowInDays,
    String currentKeyMaterialId) {

  public static KeyMetadata of(KmsKey key) {
    List<String> algorithms =
        key.keySpec() == KeySpec.SYMMETRIC_DEFAULT
            ? List.of(EncryptionAlgorithm.SYMMETRIC_DEFAULT.wireName())
            : null;
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
        key.keySpec().wireName(),
        key.keySpec().wireName(),
        algorithms,
        false,
        key.pendingDeletionWindowInDays(),
        key.currentKeyMaterialId());
  }
}
