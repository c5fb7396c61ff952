package dev.keyhaven.kms.operation.unit;

import static dev.keyhaven.kms.operation.unit.UnitKms.principal;
import static dev.keyhaven.kms.operation.unit.UnitKms.refused;
import static dev.keyhaven.kms.operation.unit.UnitKms.root;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.operation.KeyMetadata;
import dev.keyhaven.kms.operation.admin.CreateGrant;
import dev.keyhaven.kms.operation.admin.PutKeyPolicy;
import dev.keyhaven.kms.operation.admin.PutPrincipalPolicy;
import dev.keyhaven.kms.operation.crypto.GenerateDataKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Who may use a key, through the operation pipeline on in-memory persistence (the HTTP and
 * PostgreSQL version: GrantsTest, KeyPolicyTest): CreateGrant lets its grantee perform its
 * operations and nothing else; an identity policy (PutPrincipalPolicy) allows what it names;
 * PutKeyPolicy's explicit Deny wins over the Allow, and a policy that would lock the caller out is
 * refused.
 */
class KeyAccessUnitTest {
  private static final byte[] PLAINTEXT = "granted".getBytes(StandardCharsets.UTF_8);
  private static final CallerIdentity APP = principal("role/App");

  private final UnitKms kms = new UnitKms();
  private final KeyMetadata key = kms.createKey().keyMetadata();

  private CreateGrant.Response grant(List<String> operations, Boolean dryRun) {
    return kms.call(
        CreateGrant.class,
        new CreateGrant.Request(
            KeyReference.of(key.keyId()),
            APP.principalArn(),
            null,
            operations,
            null,
            null,
            null,
            dryRun));
  }

  private long grantsOnKey() {
    return kms.grants.countForKey(UUID.fromString(key.keyId())).await().indefinitely();
  }

  @Test
  void encrypt_roleWithoutGrantOrPolicy_accessDenied() {
    var e = refused(ErrorCode.ACCESS_DENIED, () -> kms.encrypt(APP, key.keyId(), PLAINTEXT, null));
    assertEquals(
        "User: arn:aws:iam::111122223333:role/App is not authorized to perform: kms:Encrypt on"
            + " resource: "
            + key.arn()
            + " because no identity-based policy allows the kms:Encrypt action",
        e.getMessage());
  }

  @Test
  void createGrant_encryptAndDecrypt_granteeUsesThoseOperationsOnly() {
    CreateGrant.Response grant = grant(List.of("Encrypt", "Decrypt"), null);
    assertEquals(64, grant.grantId().length());
    assertEquals(1, grantsOnKey());

    byte[] blob = kms.encrypt(APP, key.keyId(), PLAINTEXT, null).ciphertextBlob();
    assertArrayEquals(PLAINTEXT, kms.decrypt(APP, blob, null).plaintext());
    var e =
        refused(
            ErrorCode.ACCESS_DENIED,
            () ->
                kms.call(
                    APP,
                    GenerateDataKey.class,
                    new GenerateDataKey.Request(
                        KeyReference.of(key.keyId()), "AES_256", null, null, null, null)));
    assertTrue(e.getMessage().contains("kms:GenerateDataKey"), e.getMessage());
  }

  @Test
  void createGrant_dryRun_dryRunOperationExceptionAndNoGrantKept() {
    refused(ErrorCode.DRY_RUN_OPERATION, () -> grant(List.of("Encrypt"), true));
    assertEquals(0, grantsOnKey());
    refused(ErrorCode.ACCESS_DENIED, () -> kms.encrypt(APP, key.keyId(), PLAINTEXT, null));
  }

  @Test
  void createGrant_operationNotValidForTheKey_validationExceptionAndNoGrant() {
    var e = refused(ErrorCode.VALIDATION, () -> grant(List.of("Sign"), null));
    assertEquals(
        "Grant operations [Sign] are not valid for a KMS key with KeyUsage ENCRYPT_DECRYPT and"
            + " KeySpec SYMMETRIC_DEFAULT.",
        e.getMessage());
    assertEquals(0, grantsOnKey());
  }

  @Test
  void putPrincipalPolicy_allowingEncrypt_roleEncryptsButMayNotDecrypt() {
    String encryptOnly =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"kms:Encrypt\",\"Resource\":\""
            + key.arn()
            + "\"}]}";
    kms.call(
        PutPrincipalPolicy.class, new PutPrincipalPolicy.Request(APP.principalArn(), encryptOnly));
    byte[] blob = kms.encrypt(APP, key.keyId(), PLAINTEXT, null).ciphertextBlob();
    var e = refused(ErrorCode.ACCESS_DENIED, () -> kms.decrypt(APP, blob, null));
    assertTrue(e.getMessage().contains("kms:Decrypt"), e.getMessage());
  }

  @Test
  void putKeyPolicy_explicitDenyOfEncrypt_encryptDeniedAndDecryptStillAllowed() {
    byte[] earlier = kms.encrypt(root(), key.keyId(), PLAINTEXT, null).ciphertextBlob();
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
            + "\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}]}";
    kms.call(
        PutKeyPolicy.class,
        new PutKeyPolicy.Request(KeyReference.of(key.keyId()), null, policy, null));

    var e =
        refused(ErrorCode.ACCESS_DENIED, () -> kms.encrypt(root(), key.keyId(), PLAINTEXT, null));
    assertEquals(
        "User: arn:aws:iam::111122223333:root is not authorized to perform: kms:Encrypt on"
            + " resource: "
            + key.arn()
            + " with an explicit deny in a resource-based policy",
        e.getMessage());
    assertArrayEquals(PLAINTEXT, kms.decrypt(root(), earlier, null).plaintext());
  }

  @Test
  void putKeyPolicy_lockingTheCallerOut_malformedPolicyDocumentAndPolicyUnchanged() {
    String appOnly =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/App\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    var e =
        refused(
            ErrorCode.MALFORMED_POLICY_DOCUMENT,
            () ->
                kms.call(
                    PutKeyPolicy.class,
                    new PutKeyPolicy.Request(KeyReference.of(key.keyId()), null, appOnly, null)));
    assertEquals(
        "The new key policy will not allow you to update the key policy in the future.",
        e.getMessage());
    refused(ErrorCode.ACCESS_DENIED, () -> kms.encrypt(APP, key.keyId(), PLAINTEXT, null));
    kms.encrypt(root(), key.keyId(), PLAINTEXT, null);
  }
}
