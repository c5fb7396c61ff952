package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No existence oracle across accounts (issue 16, items 1–3): a principal of account B that may not
 * use a key of account A gets the same answer — code and message, modulo the identifier it sent —
 * whether that key or alias exists or not, for every operation that takes a KeyId, an alias or a
 * grant id; and no answer names A's key id unless B sent it. AWS answers AccessDeniedException for
 * another account's resource, never NotFoundException: it cannot say what exists in an account the
 * caller cannot see.
 */
@QuarkusTest
class CrossAccountExistenceTest {
  private static final String ONE = "AQ==";
  private static final String GRANT_ID = "a".repeat(64);

  private final KmsApi owner = KmsApi.newAccount();
  private final KmsApi stranger = KmsApi.newAccount();
  private final String alias = "alias/prod-db";
  private String keyId;

  @BeforeEach
  void createOwnersKey() {
    keyId = owner.createKey();
  }

  /** One operation's request, built around the KeyId-like member under test. */
  private record Probe(String operation, Function<String, Map<String, Object>> body) {}

  private List<Probe> probes() {
    String ownBlob =
        stranger
            .call("Encrypt", Map.of("KeyId", stranger.createKey(), "Plaintext", ONE))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");
    stranger
        .call("CreateAlias", Map.of("AliasName", "alias/mine", "TargetKeyId", stranger.createKey()))
        .statusCode(200);
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + stranger.accountId()
            + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    List<Probe> probes = new ArrayList<>();
    for (String op :
        List.of(
            "DescribeKey",
            "EnableKey",
            "DisableKey",
            "CancelKeyDeletion",
            "ListResourceTags",
            "GetKeyPolicy",
            "ListKeyPolicies",
            "ListGrants",
            "GetKeyRotationStatus",
            "EnableKeyRotation",
            "DisableKeyRotation",
            "RotateKeyOnDemand",
            "ListKeyRotations",
            "DeleteImportedKeyMaterial",
            "GetPublicKey",
            "ListAliases",
            "GetKeyLastUsage")) {
      probes.add(new Probe(op, id -> Map.of("KeyId", id)));
    }
    probes.add(new Probe("UpdateKeyDescription", id -> Map.of("KeyId", id, "Description", "d")));
    probes.add(
        new Probe("ScheduleKeyDeletion", id -> Map.of("KeyId", id, "PendingWindowInDays", 7)));
    probes.add(
        new Probe(
            "PutKeyPolicy", id -> Map.of("KeyId", id, "PolicyName", "default", "Policy", policy)));
    probes.add(
        new Probe(
            "TagResource",
            id -> Map.of("KeyId", id, "Tags", List.of(Map.of("TagKey", "k", "TagValue", "v")))));
    probes.add(new Probe("UntagResource", id -> Map.of("KeyId", id, "TagKeys", List.of("k"))));
    probes.add(new Probe("Encrypt", id -> Map.of("KeyId", id, "Plaintext", ONE)));
    probes.add(new Probe("Decrypt", id -> Map.of("KeyId", id, "CiphertextBlob", ownBlob)));
    probes.add(
        new Probe("ReEncrypt", id -> Map.of("CiphertextBlob", ownBlob, "DestinationKeyId", id)));
    probes.add(new Probe("GenerateDataKey", id -> Map.of("KeyId", id, "KeySpec", "AES_256")));
    probes.add(
        new Probe(
            "GenerateDataKeyWithoutPlaintext", id -> Map.of("KeyId", id, "NumberOfBytes", 32)));
    probes.add(
        new Probe(
            "GenerateDataKeyPair", id -> Map.of("KeyId", id, "KeyPairSpec", "ECC_NIST_P256")));
    probes.add(
        new Probe(
            "GenerateDataKeyPairWithoutPlaintext",
            id -> Map.of("KeyId", id, "KeyPairSpec", "ECC_NIST_P256")));
    probes.add(
        new Probe(
            "Sign",
            id -> Map.of("KeyId", id, "Message", ONE, "SigningAlgorithm", "ECDSA_SHA_256")));
    probes.add(
        new Probe(
            "Verify",
            id ->
                Map.of(
                    "KeyId",
                    id,
                    "Message",
                    ONE,
                    "Signature",
                    ONE,
                    "SigningAlgorithm",
                    "ECDSA_SHA_256")));
    probes.add(
        new Probe(
            "GenerateMac",
            id -> Map.of("KeyId", id, "Message", ONE, "MacAlgorithm", "HMAC_SHA_256")));
    probes.add(
        new Probe(
            "VerifyMac",
            id -> Map.of("KeyId", id, "Message", ONE, "Mac", ONE, "MacAlgorithm", "HMAC_SHA_256")));
    probes.add(
        new Probe(
            "CreateGrant",
            id ->
                Map.of(
                    "KeyId",
                    id,
                    "GranteePrincipal",
                    stranger.principalArn(),
                    "Operations",
                    List.of("Encrypt"))));
    probes.add(new Probe("RetireGrant", id -> Map.of("KeyId", id, "GrantId", GRANT_ID)));
    probes.add(new Probe("RevokeGrant", id -> Map.of("KeyId", id, "GrantId", GRANT_ID)));
    probes.add(new Probe("CreateAlias", id -> Map.of("AliasName", "alias/new", "TargetKeyId", id)));
    probes.add(
        new Probe("UpdateAlias", id -> Map.of("AliasName", "alias/mine", "TargetKeyId", id)));
    probes.add(
        new Probe(
            "GetParametersForImport",
            id ->
                Map.of(
                    "KeyId",
                    id,
                    "WrappingAlgorithm",
                    "RSAES_OAEP_SHA_256",
                    "WrappingKeySpec",
                    "RSA_2048")));
    probes.add(
        new Probe(
            "ImportKeyMaterial",
            id ->
                Map.of(
                    "KeyId",
                    id,
                    "ImportToken",
                    ONE,
                    "EncryptedKeyMaterial",
                    ONE,
                    "ExpirationModel",
                    "KEY_MATERIAL_DOES_NOT_EXPIRE")));
    probes.add(
        new Probe(
            "DeriveSharedSecret",
            id -> Map.of("KeyId", id, "KeyAgreementAlgorithm", "ECDH", "PublicKey", ONE)));
    return probes;
  }

  /** The four identifiers of A's resources that B may send: existing and missing, key and alias. */
  private Map<String, String> identifiers() {
    owner.call("CreateAlias", Map.of("AliasName", alias, "TargetKeyId", keyId)).statusCode(200);
    String aliasArn = "arn:aws:kms:us-east-1:" + owner.accountId() + ":";
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("existing key ARN", owner.arnOf(keyId));
    ids.put("missing key ARN", owner.arnOf(UUID.randomUUID().toString()));
    ids.put("existing alias ARN", aliasArn + alias);
    ids.put("missing alias ARN", aliasArn + "alias/no-such-" + UUID.randomUUID());
    return ids;
  }

  private static final String IDENTITY_DENY_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";

  // Issue 16, item 1: B's root (no identity policy) probing with key and alias ARNs.
  @Test
  void everyKeyIdOperation_otherAccountsResources_sameAnswerWhetherOrNotTheyExist() {
    assertNoOracle(stranger);
  }

  // Issue 16, item 2: B's role under an identity-policy Deny kms:* gets the identity-policy
  // answer for A's missing key as for A's existing key.
  @Test
  void everyKeyIdOperation_identityPolicyDeny_sameAnswerWhetherOrNotTheyExist() {
    String roleArn = "arn:aws:iam::" + stranger.accountId() + ":role/Prober";
    stranger
        .callAdmin(
            "PutPrincipalPolicy",
            Map.of("PrincipalArn", roleArn, "PolicyDocument", IDENTITY_DENY_ALL))
        .statusCode(200);
    List<String> messages = assertNoOracle(stranger.as(roleArn));
    assertTrue(
        messages.stream()
            .allMatch(m -> m.endsWith("with an explicit deny in an identity-based policy")),
        () -> String.join("\n", messages));
  }

  // Issue 16, item 3: RetireGrant by KeyId + GrantId answered "Key … does not exist" for a missing
  // key of another account and "Grant ID … not found" for an existing one, before authorizing.
  @Test
  void retireGrant_otherAccountsKey_accessDeniedWhetherOrNotItExists() {
    Map<String, String> ids = identifiers();
    for (String id : List.of(ids.get("existing key ARN"), ids.get("missing key ARN"))) {
      stranger
          .call("RetireGrant", Map.of("KeyId", id, "GrantId", GRANT_ID))
          .statusCode(400)
          .body("__type", equalTo("AccessDeniedException"))
          .body(
              "message",
              equalTo(
                  "User: "
                      + stranger.principalArn()
                      + " is not authorized to perform:"
                      + " kms:RetireGrant on resource: "
                      + id
                      + " because no resource-based policy allows the"
                      + " kms:RetireGrant action"));
    }
  }

  // A caller the key policy admits (the owner shared the key with its account) still learns why it
  // is denied: here its own account's identity policy is missing.
  @Test
  void keyPolicyAdmitsCallersAccount_denialSaysWhy() {
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + owner.accountId()
            + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\""
            + stranger.accountId()
            + "\"},\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}]}";
    String shared =
        owner
            .call("CreateKey", Map.of("Policy", policy))
            .statusCode(200)
            .extract()
            .path("KeyMetadata.Arn");
    String roleArn = "arn:aws:iam::" + stranger.accountId() + ":role/Consumer";
    stranger
        .as(roleArn)
        .call("Encrypt", Map.of("KeyId", shared, "Plaintext", ONE))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"))
        .body(
            "message",
            equalTo(
                "User: "
                    + roleArn
                    + " is not authorized to perform: kms:Encrypt on resource: "
                    + shared
                    + " because no identity-based policy allows the kms:Encrypt action"));
    stranger.call("Encrypt", Map.of("KeyId", shared, "Plaintext", ONE)).statusCode(200);
  }

  // The caller's own account keeps AWS's NotFound answers.
  @Test
  void ownAccount_missingKeyAndAlias_notFoundAsAwsAnswers() {
    String missing = UUID.randomUUID().toString();
    stranger
        .call("DescribeKey", Map.of("KeyId", missing))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"))
        .body("message", equalTo("Key '" + stranger.arnOf(missing) + "' does not exist"));
    stranger
        .call("RetireGrant", Map.of("KeyId", missing, "GrantId", GRANT_ID))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"))
        .body("message", equalTo("Key '" + stranger.arnOf(missing) + "' does not exist"));
    stranger
        .call("DescribeKey", Map.of("KeyId", "alias/none"))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"))
        .body(
            "message",
            equalTo(
                "Alias arn:aws:kms:us-east-1:"
                    + stranger.accountId()
                    + ":alias/none is not found."));
  }

  /**
   * Sends every probe with each identifier; collects every difference between an existing and a
   * missing resource, every answer naming A's key id unasked, and every 5xx, then asserts none.
   *
   * @return the AccessDenied messages seen
   */
  private List<String> assertNoOracle(KmsApi caller) {
    Map<String, String> ids = identifiers();
    String hiddenKeyId = keyId;
    List<String> failures = new ArrayList<>();
    List<String> denials = new ArrayList<>();
    for (Probe probe : probes()) {
      Map<String, String[]> answers = new HashMap<>();
      for (Map.Entry<String, String> id : ids.entrySet()) {
        ExtractableResponse<Response> r =
            caller.call(probe.operation(), probe.body().apply(id.getValue())).extract();
        String body = r.body().asString();
        String type = r.path("__type");
        String message = r.path("message");
        if (r.statusCode() != 400 || type == null) {
          failures.add(
              probe.operation() + " " + id.getKey() + ": status " + r.statusCode() + " " + body);
          continue;
        }
        if (body.contains(hiddenKeyId) && !id.getValue().contains(hiddenKeyId)) {
          failures.add(probe.operation() + " " + id.getKey() + ": names A's key id: " + body);
        }
        if (id.getKey().contains("key ARN") && !type.equals("AccessDeniedException")) {
          failures.add(probe.operation() + " " + id.getKey() + ": " + type + " " + message);
        }
        if (type.equals("AccessDeniedException")) {
          denials.add(probe.operation() + ": " + message);
        }
        answers.put(
            id.getKey(),
            new String[] {type, message == null ? "" : message.replace(id.getValue(), "<id>")});
      }
      for (String form : List.of("key ARN", "alias ARN")) {
        String[] existing = answers.get("existing " + form);
        String[] missing = answers.get("missing " + form);
        if (existing != null
            && missing != null
            && !(existing[0].equals(missing[0]) && existing[1].equals(missing[1]))) {
          failures.add(
              probe.operation()
                  + " "
                  + form
                  + ": existing → "
                  + existing[0]
                  + " "
                  + existing[1]
                  + " | missing → "
                  + missing[0]
                  + " "
                  + missing[1]);
        }
      }
    }
    assertEquals(List.of(), failures, String.join("\n", failures));
    return denials.stream().map(d -> d.substring(d.indexOf(": ") + 2)).toList();
  }
}
