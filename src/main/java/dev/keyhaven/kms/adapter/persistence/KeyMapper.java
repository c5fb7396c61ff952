package dev.keyhaven.kms.adapter.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.ExpirationModel;
import dev.keyhaven.kms.domain.key.ImportState;
import dev.keyhaven.kms.domain.key.KeyArn;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyState;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.Origin;
import dev.keyhaven.kms.domain.key.Rotation;
import java.util.Map;
import java.util.TreeMap;

/** {@link KmsKey} ⇄ {@link KeyEntity}. Enum columns hold AWS wire literals. */
final class KeyMapper {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> TAGS = new TypeReference<>() {};

  private KeyMapper() {}

  /**
   * @param partition the partition the service serves (rows store region and account only)
   */
  static KmsKey toDomain(KeyEntity e, String partition) {
    return new KmsKey(
        new KeyArn(partition, e.region, e.accountId, e.keyId),
        AwsEnum.fromWire(KeySpec.class, e.keySpec),
        AwsEnum.fromWire(KeyUsage.class, e.keyUsage),
        AwsEnum.fromWire(Origin.class, e.origin),
        KeyState.valueOf(e.keyState),
        e.description,
        e.creationDate,
        e.deletionDate,
        e.pendingWindowDays,
        e.currentVersion,
        e.currentKeyMaterialId,
        new Rotation(e.rotationPeriodDays, e.nextRotationDate, e.onDemandRotations),
        e.policy,
        readTags(e.tags),
        e.importFingerprint == null
            ? null
            : new ImportState(
                e.importFingerprint,
                AwsEnum.fromWire(ExpirationModel.class, e.expirationModel),
                e.validTo),
        e.revision);
  }

  /** Copies every mutable field of {@code key} onto {@code e} (identity fields only when new). */
  static KeyEntity copy(KmsKey key, KeyEntity e) {
    e.keyId = key.keyId();
    e.accountId = key.accountId();
    e.region = key.arn().region();
    e.keySpec = key.keySpec().wireName();
    e.keyUsage = key.keyUsage().wireName();
    e.origin = key.origin().wireName();
    e.keyState = key.keyState().name();
    e.description = key.description();
    e.creationDate = key.creationDate();
    e.deletionDate = key.deletionDate();
    e.pendingWindowDays = key.pendingDeletionWindowInDays();
    e.currentVersion = key.currentVersion();
    e.currentKeyMaterialId = key.currentKeyMaterialId();
    e.rotationPeriodDays = key.rotation().periodInDays();
    e.nextRotationDate = key.rotation().nextRotationDate();
    e.onDemandRotations = key.rotation().onDemandRotations();
    e.policy = key.policy();
    e.tags = writeTags(key.tags());
    ImportState imported = key.importState();
    e.importFingerprint = imported == null ? null : imported.fingerprint();
    e.expirationModel =
        imported == null || imported.expirationModel() == null
            ? null
            : imported.expirationModel().wireName();
    e.validTo = imported == null ? null : imported.validTo();
    return e;
  }

  private static Map<String, String> readTags(String json) {
    try {
      return JSON.readValue(json, TAGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored tags are not a JSON object", e);
    }
  }

  private static String writeTags(Map<String, String> tags) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(tags));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
