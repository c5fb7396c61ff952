package dev.keyhaven.kms.function.lambda;

import dev.keyhaven.kms.domain.key.KeyArn;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyState;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.Origin;
import dev.keyhaven.kms.domain.key.Rotation;
import dev.keyhaven.kms.domain.policy.DefaultKeyPolicy;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.port.KeyRepository;
import dev.keyhaven.kms.operation.port.Transactions;
import io.quarkus.vertx.VertxContextSupport;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Stores a symmetric key the way CreateKey does (default key policy, first material version), for
 * the function tests whose build has no CreateKey (crypto, rotation).
 */
public final class TestKeys {
  private TestKeys() {}

  /** A new Enabled SYMMETRIC_DEFAULT key of {@code accountId}; returns it. */
  public static KmsKey create(
      KeyRepository keys,
      KeyMaterials materials,
      Transactions transactions,
      String accountId,
      Rotation rotation) {
    UUID keyId = UUID.randomUUID();
    String materialId = materials.newKeyMaterialId();
    KmsKey key =
        new KmsKey(
            new KeyArn("aws", "us-east-1", accountId, keyId),
            KeySpec.SYMMETRIC_DEFAULT,
            KeyUsage.ENCRYPT_DECRYPT,
            Origin.AWS_KMS,
            KeyState.ENABLED,
            "function test",
            Instant.now(),
            null,
            null,
            1,
            materialId,
            rotation,
            DefaultKeyPolicy.forAccount("aws", accountId),
            Map.of(),
            null,
            0);
    try {
      VertxContextSupport.subscribeAndAwait(
          () ->
              transactions.inTransaction(
                  () ->
                      materials
                          .generate(keyId, KeySpec.SYMMETRIC_DEFAULT, 1, materialId)
                          .chain(material -> keys.insert(key, material))));
    } catch (Throwable e) {
      throw new AssertionError("cannot store the test key", e);
    }
    return key;
  }
}
