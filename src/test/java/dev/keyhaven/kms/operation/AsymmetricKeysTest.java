package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CreateKey and DescribeKey for every served asymmetric and HMAC key spec (AWS's key spec × usage ×
 * algorithm matrix, reference §1.3), the spec/usage errors, GetPublicKey, how the private keys are
 * stored, and how the other families (grants, aliases, rotation, key states) treat these keys.
 */
@QuarkusTest
class AsymmetricKeysTest {
  private static final KmsApi KMS = KmsApi.newAccount();

  @Inject Pool pool;

  private static List<String> list(String semicolons) {
    return semicolons == null ? null : List.of(semicolons.split(";"));
  }

  // AWS KMS Developer Guide, "Key spec reference": each spec's usages and the algorithm lists
  // DescribeKey returns for them (a list that does not apply is absent).
  @ParameterizedTest
  @CsvSource(
      nullValues = "-",
      value = {
        "RSA_2048, ENCRYPT_DECRYPT, RSAES_OAEP_SHA_1;RSAES_OAEP_SHA_256, -, -, -",
        "RSA_4096, SIGN_VERIFY, -, RSASSA_PKCS1_V1_5_SHA_256;RSASSA_PKCS1_V1_5_SHA_384;RSASSA_PKCS1_V1_5_SHA_512;RSASSA_PSS_SHA_256;RSASSA_PSS_SHA_384;RSASSA_PSS_SHA_512, -, -",
        "ECC_NIST_P256, SIGN_VERIFY, -, ECDSA_SHA_256, -, -",
        "ECC_NIST_P384, SIGN_VERIFY, -, ECDSA_SHA_384, -, -",
        "ECC_NIST_P521, SIGN_VERIFY, -, ECDSA_SHA_512, -, -",
        "ECC_NIST_P521, KEY_AGREEMENT, -, -, -, ECDH",
        "ECC_SECG_P256K1, SIGN_VERIFY, -, ECDSA_SHA_256, -, -",
        "ECC_NIST_EDWARDS25519, SIGN_VERIFY, -, ED25519_PH_SHA_512;ED25519_SHA_512, -, -",
        "HMAC_224, GENERATE_VERIFY_MAC, -, -, HMAC_SHA_224, -",
        "HMAC_512, GENERATE_VERIFY_MAC, -, -, HMAC_SHA_512, -"
      })
  void createKey_servedSpecAndUsage_keyMetadataListsAwsAlgorithms(
      String spec, String usage, String encryption, String signing, String mac, String agreement) {
    String keyId =
        KMS.call("CreateKey", Map.of("KeySpec", spec, "KeyUsage", usage))
            .statusCode(200)
            .body("KeyMetadata.KeySpec", equalTo(spec))
            .body("KeyMetadata.CustomerMasterKeySpec", equalTo(spec))
            .body("KeyMetadata.KeyUsage", equalTo(usage))
            .body("KeyMetadata.KeyState", equalTo("Enabled"))
            .body("KeyMetadata.Origin", equalTo("AWS_KMS"))
            .extract()
            .path("KeyMetadata.KeyId");
    KMS.call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyMetadata.EncryptionAlgorithms", equalTo(list(encryption)))
        .body("KeyMetadata.SigningAlgorithms", equalTo(list(signing)))
        .body("KeyMetadata.MacAlgorithms", equalTo(list(mac)))
        .body("KeyMetadata.KeyAgreementAlgorithms", equalTo(list(agreement)))
        // AWS returns CurrentKeyMaterialId for symmetric encryption keys only.
        .body("KeyMetadata.CurrentKeyMaterialId", nullValue());
  }

  // Recorded from AWS: "You must specify a KeyUsage value for all KMS keys except for symmetric
  // encryption keys."; "KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT".
  @Test
  void createKey_missingOrIncompatibleUsage_validationException() {
    for (String spec : List.of("RSA_2048", "ECC_NIST_P256", "ECC_NIST_EDWARDS25519", "HMAC_256")) {
      KMS.call("CreateKey", Map.of("KeySpec", spec))
          .statusCode(400)
          .body("__type", equalTo("ValidationException"))
          .body(
              "message",
              equalTo(
                  "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."));
    }
    for (String[] pair :
        new String[][] {
          {"HMAC_256", "SIGN_VERIFY"},
          {"RSA_2048", "KEY_AGREEMENT"},
          {"RSA_3072", "GENERATE_VERIFY_MAC"},
          {"ECC_NIST_P256", "ENCRYPT_DECRYPT"},
          {"ECC_SECG_P256K1", "KEY_AGREEMENT"},
          // amazonaws.cn Developer Guide, "Key spec reference": Ed25519 is "signing and
          // verification only".
          {"ECC_NIST_EDWARDS25519", "KEY_AGREEMENT"},
          {"ECC_NIST_EDWARDS25519", "ENCRYPT_DECRYPT"}
        }) {
      KMS.call("CreateKey", Map.of("KeySpec", pair[0], "KeyUsage", pair[1]))
          .statusCode(400)
          .body("__type", equalTo("ValidationException"))
          .body(
              "message",
              equalTo("KeyUsage " + pair[1] + " is not compatible with KeySpec " + pair[0]));
    }
  }

  // SM2 (China Regions) and ML-DSA are not served yet (docs/fips.md, README).
  @Test
  void createKey_specsNotServed_unsupportedOperation() {
    for (String spec : List.of("SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87")) {
      KMS.call("CreateKey", Map.of("KeySpec", spec, "KeyUsage", "SIGN_VERIFY"))
          .statusCode(400)
          .body("__type", equalTo("UnsupportedOperationException"))
          .body(
              "message",
              equalTo("KeySpec " + spec + " is not supported by this Keyhaven version."));
    }
  }

  @Test
  void getPublicKey_rsaKey_derSubjectPublicKeyInfoOfTheSpecsSize() throws Exception {
    String keyId = KMS.createKey("RSA_3072", "SIGN_VERIFY");
    String der =
        KMS.call("GetPublicKey", Map.of("KeyId", keyId))
            .statusCode(200)
            .body("KeyId", equalTo(KMS.arnOf(keyId)))
            .body("KeySpec", equalTo("RSA_3072"))
            .body("CustomerMasterKeySpec", equalTo("RSA_3072"))
            .body("KeyUsage", equalTo("SIGN_VERIFY"))
            .body("EncryptionAlgorithms", nullValue())
            .body("SigningAlgorithms[0]", equalTo("RSASSA_PKCS1_V1_5_SHA_256"))
            .extract()
            .path("PublicKey");
    RSAPublicKey key =
        (RSAPublicKey)
            KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(KmsApi.unb64(der)));
    assertEquals(3072, key.getModulus().bitLength());
    assertEquals(65537, key.getPublicExponent().intValueExact());
    String symmetric = KMS.createKey();
    KMS.call("GetPublicKey", Map.of("KeyId", symmetric))
        .statusCode(400)
        .body("__type", equalTo("UnsupportedOperationException"))
        .body(
            "message",
            equalTo(
                KMS.arnOf(symmetric)
                    + " key spec is SYMMETRIC_DEFAULT which is not valid for this operation."));
  }

  // Private keys are stored like every material version: only wrapped under the root key. The
  // PKCS#8 encoding carries the modulus in clear, so an unwrapped private key in the row would
  // contain it; the public key beside it does.
  @Test
  void privateKey_storedOnlyWrapped_publicKeyStoredInClear() throws Exception {
    String keyId = KMS.createKey("RSA_2048", "SIGN_VERIFY");
    byte[] der =
        KmsApi.unb64(
            KMS.call("GetPublicKey", Map.of("KeyId", keyId))
                .statusCode(200)
                .extract()
                .path("PublicKey"));
    byte[] modulus =
        ((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)))
            .getModulus()
            .toByteArray();
    Row row =
        pool.preparedQuery("SELECT wrapped, public_key FROM key_material WHERE key_id = $1")
            .execute(Tuple.of(java.util.UUID.fromString(keyId)))
            .await()
            .indefinitely()
            .iterator()
            .next();
    byte[] wrapped = row.getBuffer(0).getBytes();
    assertTrue(wrapped.length > 1000, "a whole RSA private key is wrapped");
    assertFalse(
        contains(wrapped, Arrays.copyOfRange(modulus, 1, 33)),
        "no modulus bytes in the wrapped row");
    assertTrue(Arrays.equals(der, row.getBuffer(1).getBytes()));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }

  // AWS KMS API Reference, EnableKeyRotation: not for asymmetric or HMAC keys. RotateKeyOnDemand
  // (recorded against AWS for an RSA key, issue 26) answers UnsupportedOperationException with no
  // message member.
  @Test
  void rotation_asymmetricOrHmacKey_unsupportedOperation() {
    for (String keyId :
        List.of(
            KMS.createKey("ECC_NIST_P256", "SIGN_VERIFY"),
            KMS.createKey("HMAC_384", "GENERATE_VERIFY_MAC"))) {
      String spec =
          KMS.call("DescribeKey", Map.of("KeyId", keyId)).extract().path("KeyMetadata.KeySpec");
      for (String operation :
          List.of("EnableKeyRotation", "GetKeyRotationStatus", "ListKeyRotations")) {
        KMS.call(operation, Map.of("KeyId", keyId))
            .statusCode(400)
            .body("__type", equalTo("UnsupportedOperationException"))
            .body(
                "message",
                equalTo(
                    KMS.arnOf(keyId)
                        + " key spec is "
                        + spec
                        + " which is not valid for this operation."));
      }
      KMS.call("RotateKeyOnDemand", Map.of("KeyId", keyId))
          .statusCode(400)
          .body("__type", equalTo("UnsupportedOperationException"))
          .body("$", not(hasKey("message")));
    }
  }

  // Recorded against AWS (issue 26): RotateKeyOnDemand checks the key state before the key spec —
  // a disabled RSA_4096 key answers DisabledException — and an RSA key answers
  // UnsupportedOperationException with no message member.
  @Test
  void rotateKeyOnDemand_rsaKey_stateBeforeSpecAndNoMessage() {
    String keyId = KMS.createKey("RSA_4096", "ENCRYPT_DECRYPT");
    KMS.call("RotateKeyOnDemand", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("UnsupportedOperationException"))
        .body("$", not(hasKey("message")));
    KMS.call("DisableKey", Map.of("KeyId", keyId)).statusCode(200);
    KMS.call("RotateKeyOnDemand", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("DisabledException"))
        .body("message", equalTo(KMS.arnOf(keyId) + " is disabled."));
  }

  // AWS KMS Developer Guide, "Grant operations": a grant's operations must be valid for the key
  // (Sign, Verify, GetPublicKey for a signing key) and encryption-context constraints are for
  // symmetric encryption keys only.
  @Test
  void createGrant_signingKey_validOperationsOnlyAndNoConstraints() {
    String keyId = KMS.createKey("ECC_NIST_P256", "SIGN_VERIFY");
    String grantee = "arn:aws:iam::" + KMS.accountId() + ":role/Signer";
    KMS.call(
            "CreateGrant",
            Map.of("KeyId", keyId, "GranteePrincipal", grantee, "Operations", List.of("Encrypt")))
        .statusCode(400)
        .body(
            "message",
            equalTo(
                "Grant operations [Encrypt] are not valid for a KMS key with KeyUsage SIGN_VERIFY and KeySpec ECC_NIST_P256."));
    KMS.call(
            "CreateGrant",
            Map.of(
                "KeyId",
                keyId,
                "GranteePrincipal",
                grantee,
                "Operations",
                List.of("Sign"),
                "Constraints",
                Map.of("EncryptionContextSubset", Map.of("a", "b"))))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    KmsApi signer = KMS.as(grantee);
    Map<String, Object> sign =
        Map.of(
            "KeyId",
            KMS.arnOf(keyId),
            "Message",
            KmsApi.b64(new byte[] {1}),
            "SigningAlgorithm",
            "ECDSA_SHA_256");
    signer.call("Sign", sign).statusCode(400).body("__type", equalTo("AccessDeniedException"));
    KMS.call(
            "CreateGrant",
            Map.of(
                "KeyId",
                keyId,
                "GranteePrincipal",
                grantee,
                "Operations",
                List.of("Sign", "GetPublicKey")))
        .statusCode(200);
    signer.call("Sign", sign).statusCode(200);
    signer.call("GetPublicKey", Map.of("KeyId", KMS.arnOf(keyId))).statusCode(200);
    signer
        .call(
            "Verify",
            Map.of(
                "KeyId",
                KMS.arnOf(keyId),
                "Message",
                KmsApi.b64(new byte[] {1}),
                "SigningAlgorithm",
                "ECDSA_SHA_256",
                "Signature",
                KmsApi.b64(new byte[] {1})))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  // AWS KMS API Reference, UpdateAlias: the new key must be of the same type and key usage.
  @Test
  void updateAlias_toKeyOfAnotherType_validationException() {
    String alias = "alias/asym-" + System.nanoTime();
    KMS.call(
            "CreateAlias",
            Map.of(
                "AliasName",
                alias,
                "TargetKeyId",
                KMS.createKey("HMAC_256", "GENERATE_VERIFY_MAC")))
        .statusCode(200);
    KMS.call("UpdateAlias", Map.of("AliasName", alias, "TargetKeyId", KMS.createKey()))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    KMS.call(
            "UpdateAlias",
            Map.of(
                "AliasName",
                alias,
                "TargetKeyId",
                KMS.createKey("HMAC_512", "GENERATE_VERIFY_MAC")))
        .statusCode(200);
  }

  // Key-state table: the new cryptographic operations need an Enabled key — Disabled:
  // DisabledException "<arn> is disabled."; PendingDeletion: KMSInvalidStateException "<arn> is
  // pending deletion.".
  @Test
  void newCryptoOperations_disabledOrPendingDeletionKey_keyStateErrors() {
    String signing = KMS.createKey("ECC_NIST_P256", "SIGN_VERIFY");
    String mac = KMS.createKey("HMAC_256", "GENERATE_VERIFY_MAC");
    String agreement = KMS.createKey("ECC_NIST_P256", "KEY_AGREEMENT");
    String symmetric = KMS.createKey();
    List<Function<Void, ValidatableResponse>> calls =
        List.of(
            v -> KMS.call("GetPublicKey", Map.of("KeyId", signing)),
            v ->
                KMS.call(
                    "Sign",
                    Map.of(
                        "KeyId",
                        signing,
                        "Message",
                        KmsApi.b64(new byte[] {1}),
                        "SigningAlgorithm",
                        "ECDSA_SHA_256")),
            v ->
                KMS.call(
                    "Verify",
                    Map.of(
                        "KeyId",
                        signing,
                        "Message",
                        KmsApi.b64(new byte[] {1}),
                        "SigningAlgorithm",
                        "ECDSA_SHA_256",
                        "Signature",
                        KmsApi.b64(new byte[] {1}))),
            v ->
                KMS.call(
                    "GenerateMac",
                    Map.of(
                        "KeyId",
                        mac,
                        "Message",
                        KmsApi.b64(new byte[] {1}),
                        "MacAlgorithm",
                        "HMAC_SHA_256")),
            v ->
                KMS.call(
                    "VerifyMac",
                    Map.of(
                        "KeyId",
                        mac,
                        "Message",
                        KmsApi.b64(new byte[] {1}),
                        "MacAlgorithm",
                        "HMAC_SHA_256",
                        "Mac",
                        KmsApi.b64(new byte[] {1}))),
            v ->
                KMS.call(
                    "DeriveSharedSecret",
                    Map.of(
                        "KeyId",
                        agreement,
                        "KeyAgreementAlgorithm",
                        "ECDH",
                        "PublicKey",
                        KmsApi.b64(new byte[] {1}))),
            v ->
                KMS.call(
                    "GenerateDataKeyPair",
                    Map.of("KeyId", symmetric, "KeyPairSpec", "ECC_NIST_P256")),
            v ->
                KMS.call(
                    "GenerateDataKeyPairWithoutPlaintext",
                    Map.of("KeyId", symmetric, "KeyPairSpec", "ECC_NIST_P256")));
    List<String> keys =
        List.of(signing, signing, signing, mac, mac, agreement, symmetric, symmetric);
    keys.stream()
        .distinct()
        .forEach(k -> KMS.call("DisableKey", Map.of("KeyId", k)).statusCode(200));
    for (int i = 0; i < calls.size(); i++) {
      calls
          .get(i)
          .apply(null)
          .statusCode(400)
          .body("__type", equalTo("DisabledException"))
          .body("message", equalTo(KMS.arnOf(keys.get(i)) + " is disabled."));
    }
    keys.stream()
        .distinct()
        .forEach(
            k ->
                KMS.call("ScheduleKeyDeletion", Map.of("KeyId", k, "PendingWindowInDays", 7))
                    .statusCode(200));
    for (int i = 0; i < calls.size(); i++) {
      calls
          .get(i)
          .apply(null)
          .statusCode(400)
          .body("__type", equalTo("KMSInvalidStateException"))
          .body("message", equalTo(KMS.arnOf(keys.get(i)) + " is pending deletion."));
    }
  }
}
