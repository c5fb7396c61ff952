package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.domain.key.AliasName;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.port.AliasRepository;
import dev.keyhaven.kms.operation.port.KeyRepository;
import dev.keyhaven.kms.operation.port.PrincipalPolicyRepository;
import dev.keyhaven.kms.operation.port.Transactions;
import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Read-only work reads the hot rows on the pool, transactions read them through the session, and
 * both paths give the same values for every column.
 */
@QuarkusTest
class UnitOfWorkTest {
  @Inject Transactions transactions;
  @Inject KeyRepository keys;
  @Inject AliasRepository aliases;
  @Inject PrincipalPolicyRepository identityPolicies;

  @Test
  void readOnlyMark_setInSession_notInTransaction_andRemovedAfter() throws Throwable {
    List<Boolean> seen =
        onContext(
            () ->
                transactions
                    .inSession(() -> Uni.createFrom().item(UnitOfWork::readOnly))
                    .chain(
                        inSession ->
                            transactions
                                .inTransaction(
                                    () ->
                                        transactions.inSession(
                                            () -> Uni.createFrom().item(UnitOfWork::readOnly)))
                                .map(nested -> List.of(inSession, nested, UnitOfWork.readOnly()))));
    assertEquals(List.of(true, false, false), seen);
  }

  @Test
  void poolReads_equalSessionReads_forEveryColumn() throws Throwable {
    KmsApi api = KmsApi.newAccount();
    String keyId = api.createKey();
    api.call(
            "TagResource",
            Map.of(
                "KeyId", keyId, "Tags", List.of(Map.of("TagKey", "team", "TagValue", "payments"))))
        .statusCode(200);
    api.call("EnableKeyRotation", Map.of("KeyId", keyId, "RotationPeriodInDays", 90))
        .statusCode(200);
    api.call("RotateKeyOnDemand", Map.of("KeyId", keyId)).statusCode(200);
    api.call("CreateAlias", Map.of("AliasName", "alias/unit-of-work", "TargetKeyId", keyId))
        .statusCode(200);
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}]}";
    api.callAdmin(
            "PutPrincipalPolicy",
            Map.of("PrincipalArn", api.principalArn(), "PolicyDocument", policy))
        .statusCode(200);
    UUID id = UUID.fromString(keyId);
    AliasName alias = new AliasName("alias/unit-of-work");
    String region = keys.findById(id).await().indefinitely().orElseThrow().arn().region();

    Supplier<Uni<Reads>> reads =
        () ->
            keys.findById(id)
                .chain(
                    key ->
                        keys.findMaterial(id, 2)
                            .chain(
                                material ->
                                    aliases
                                        .find(api.accountId(), region, alias)
                                        .chain(
                                            a ->
                                                identityPolicies
                                                    .find(api.principalArn())
                                                    .map(p -> new Reads(key, material, a, p)))));
    Reads pooled =
        onContext(
            () ->
                transactions.inSession(
                    () -> reads.get().invoke(r -> assertTrue(UnitOfWork.readOnly()))));
    Reads session = onContext(() -> transactions.inTransaction(reads));

    assertTrue(pooled.key().isPresent());
    assertEquals(session.key(), pooled.key());
    assertEquals(2, pooled.key().get().currentVersion());
    assertEquals(Map.of("team", "payments"), pooled.key().get().tags());
    WrappedKeyMaterial a = pooled.material().orElseThrow();
    WrappedKeyMaterial b = session.material().orElseThrow();
    assertEquals(b.version(), a.version());
    assertEquals(b.keyMaterialId(), a.keyMaterialId());
    assertArrayEquals(b.wrapped(), a.wrapped());
    assertArrayEquals(b.publicKey(), a.publicKey());
    assertTrue(pooled.alias().isPresent());
    assertEquals(session.alias(), pooled.alias());
    assertEquals(Optional.of(policy), pooled.identityPolicy());
    assertEquals(session.identityPolicy(), pooled.identityPolicy());
    assertFalse(
        onContext(() -> transactions.inSession(() -> keys.findById(UUID.randomUUID())))
            .isPresent());
  }

  private record Reads(
      Optional<KmsKey> key,
      Optional<WrappedKeyMaterial> material,
      Optional<AliasRepository.Alias> alias,
      Optional<String> identityPolicy) {}

  private static <T> T onContext(Supplier<Uni<T>> work) throws Throwable {
    return VertxContextSupport.subscribeAndAwait(work);
  }
}
