package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Grants (AWS KMS API Reference: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant,
 * RevokeGrant; Developer Guide, "Grants in AWS KMS"): a grant allows its grantee exactly its
 * operations, under its encryption-context constraints (key case-insensitive, value
 * case-sensitive), never over an explicit Deny, and stops at once when retired or revoked.
 */
@QuarkusTest
class GrantsTest {
  private static final String ONE = "AQ==";
  private final KmsApi root = KmsApi.newAccount();
  private final String roleArn = "arn:aws:iam::" + root.accountId() + ":role/App";
  private final KmsApi role = root.as(roleArn);

  private ValidatableResponse createGrant(
      String keyId, String grantee, List<String> operations, Map<String, ?> extra) {
    Map<String, Object> body = new HashMap<>(extra);
    body.put("KeyId", keyId);
    body.put("GranteePrincipal", grantee);
    body.put("Operations", operations);
    return root.call("CreateGrant", body);
  }

  private String grant(String keyId, List<String> operations, Map<String, ?> extra) {
    return createGrant(keyId, roleArn, operations, extra).statusCode(200).extract().path("GrantId");
  }

  private ValidatableResponse encrypt(KmsApi caller, String keyId, Map<String, String> context) {
    return caller.call(
        "Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE, "EncryptionContext", context));
  }

  private static void denied(ValidatableResponse response) {
    response.statusCode(400).body("__type", equalTo("AccessDeniedException"));
  }

  private static void error(ValidatableResponse response, String type) {
    response.statusCode(400).body("__type", equalTo(type));
  }

  @Test
  void grantee_deniedBeforeGrant_allowedAfterForExactlyGrantedOperations() {
    String keyId = root.createKey();
    denied(encrypt(role, keyId, Map.of()));
    createGrant(keyId, roleArn, List.of("Encrypt", "DescribeKey"), Map.of())
        .statusCode(200)
        .body("GrantId", matchesPattern("[0-9a-f]{64}"))
        .body("GrantToken", notNullValue());
    String blob = encrypt(role, keyId, Map.of()).statusCode(200).extract().path("CiphertextBlob");
    role.call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200);
    denied(role.call("Decrypt", Map.of("CiphertextBlob", blob)));
    denied(role.call("GenerateDataKey", Map.of("KeyId", keyId, "KeySpec", "AES_256")));
    denied(role.call("DisableKey", Map.of("KeyId", keyId)));
    // An assumed-role session of the grantee role is covered too.
    KmsApi session = root.as("arn:aws:sts::" + root.accountId() + ":assumed-role/App/s1");
    encrypt(session, keyId, Map.of()).statusCode(200);
  }

  @Test
  void encryptionContextEquals_keyCaseInsensitiveValueCaseSensitive_onlyExactContextAllowed() {
    String keyId = root.createKey();
    grant(
        keyId,
        List.of("Encrypt", "Decrypt"),
        Map.of("Constraints", Map.of("EncryptionContextEquals", Map.of("Tenant", "acme"))));
    encrypt(role, keyId, Map.of("Tenant", "acme")).statusCode(200);
    String blob =
        encrypt(role, keyId, Map.of("TENANT", "acme"))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");
    role.call(
            "Decrypt",
            Map.of("CiphertextBlob", blob, "EncryptionContext", Map.of("TENANT", "acme")))
        .statusCode(200);
    denied(encrypt(role, keyId, Map.of("Tenant", "ACME")));
    denied(encrypt(role, keyId, Map.of("Tenant", "acme", "extra", "x")));
    denied(encrypt(role, keyId, Map.of()));
  }

  @Test
  void encryptionContextSubset_extraPairsAllowed_missingOrWrongCaseValueDenied() {
    String keyId = root.createKey();
    grant(
        keyId,
        List.of("Encrypt"),
        Map.of("Constraints", Map.of("EncryptionContextSubset", Map.of("dept", "it"))));
    encrypt(role, keyId, Map.of("dept", "it")).statusCode(200);
    encrypt(role, keyId, Map.of("DEPT", "it", "user", "bob")).statusCode(200);
    denied(encrypt(role, keyId, Map.of("dept", "IT")));
    denied(encrypt(role, keyId, Map.of("user", "bob")));
  }

  @Test
  void explicitDenyInKeyPolicy_beatsGrant_denied() {
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + root.accountId()
            + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\""
            + roleArn
            + "\"},\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}]}";
    String keyId =
        root.call("CreateKey", Map.of("Policy", policy))
            .statusCode(200)
            .extract()
            .path("KeyMetadata.KeyId");
    grant(keyId, List.of("Encrypt", "DescribeKey"), Map.of());
    encrypt(role, keyId, Map.of())
        .statusCode(400)
        .body(
            "message",
            equalTo(
                "User: "
                    + roleArn
                    + " is not authorized to perform: kms:Encrypt on resource: "
                    + root.arnOf(keyId)
                    + " with an explicit deny in a resource-based policy"));
    role.call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200);
  }

  @Test
  void name_retryWithSameParameters_sameGrantIdNewToken_differentParametersNewGrant() {
    String keyId = root.createKey();
    Map<String, Object> named =
        Map.of(
            "Name",
            "app-grant",
            "Constraints",
            Map.of("EncryptionContextSubset", Map.of("a", "b")));
    ValidatableResponse first =
        createGrant(keyId, roleArn, List.of("Encrypt", "Decrypt"), named).statusCode(200);
    ValidatableResponse retry =
        createGrant(keyId, roleArn, List.of("Decrypt", "Encrypt"), named).statusCode(200);
    assertEquals(first.extract().<String>path("GrantId"), retry.extract().<String>path("GrantId"));
    assertNotEquals(
        first.extract().<String>path("GrantToken"), retry.extract().<String>path("GrantToken"));
    String other =
        createGrant(keyId, roleArn, List.of("Encrypt"), named)
            .statusCode(200)
            .extract()
            .path("GrantId");
    assertNotEquals(first.extract().<String>path("GrantId"), other);
    root.call("ListGrants", Map.of("KeyId", keyId)).statusCode(200).body("Grants", hasSize(2));
  }

  @Test
  void retireGrant_byTokenAsRetiringPrincipal_granteeDeniedAtOnce() {
    String keyId = root.createKey();
    String retirer = "arn:aws:iam::" + root.accountId() + ":role/Retirer";
    String token =
        createGrant(keyId, roleArn, List.of("Encrypt"), Map.of("RetiringPrincipal", retirer))
            .statusCode(200)
            .extract()
            .path("GrantToken");
    // The token is usable at once and validated in GrantTokens.
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE, "GrantTokens", List.of(token)))
        .statusCode(200);
    root.as(retirer).call("RetireGrant", Map.of("GrantToken", token)).statusCode(200);
    denied(
        role.call(
            "Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE, "GrantTokens", List.of(token))));
    error(root.as(retirer).call("RetireGrant", Map.of("GrantToken", token)), "NotFoundException");
  }

  @Test
  void retireGrant_byKeyIdAndGrantId_granteeWithRetireGrantAllowed_strangerDenied() {
    String keyId = root.createKey();
    String grantId = grant(keyId, List.of("Encrypt", "RetireGrant"), Map.of());
    KmsApi stranger = root.as("arn:aws:iam::" + root.accountId() + ":role/Stranger");
    denied(stranger.call("RetireGrant", Map.of("KeyId", keyId, "GrantId", grantId)));
    error(
        role.call("RetireGrant", Map.of("KeyId", keyId, "GrantId", grantId, "DryRun", true)),
        "DryRunOperationException");
    role.call("RetireGrant", Map.of("KeyId", root.arnOf(keyId), "GrantId", grantId))
        .statusCode(200);
    denied(encrypt(role, keyId, Map.of()));
    error(
        root.call("RetireGrant", Map.of("KeyId", keyId, "GrantId", grantId)), "NotFoundException");
    error(
        root.call("RetireGrant", Map.of("KeyId", keyId, "GrantId", "not-a-grant-id")),
        "InvalidGrantIdException");
  }

  // A dry run deletes inside the request's transaction, which its DryRunOperationException rolls
  // back: the grant keeps working and can still be revoked.
  @Test
  void revokeGrant_dryRun_dryRunOperationExceptionAndGrantKept() {
    String keyId = root.createKey();
    String grantId = grant(keyId, List.of("Encrypt"), Map.of());
    error(
        root.call("RevokeGrant", Map.of("KeyId", keyId, "GrantId", grantId, "DryRun", true)),
        "DryRunOperationException");
    encrypt(role, keyId, Map.of()).statusCode(200);
    root.call("ListGrants", Map.of("KeyId", keyId)).statusCode(200).body("Grants", hasSize(1));
    root.call("RevokeGrant", Map.of("KeyId", keyId, "GrantId", grantId)).statusCode(200);
    denied(encrypt(role, keyId, Map.of()));
  }

  @Test
  void revokeGrant_granteeDeniedAtOnce_revokeNeedsPermission() {
    String keyId = root.createKey();
    String grantId = grant(keyId, List.of("Encrypt", "RetireGrant"), Map.of());
    encrypt(role, keyId, Map.of()).statusCode(200);
    denied(role.call("RevokeGrant", Map.of("KeyId", keyId, "GrantId", grantId)));
    root.call("RevokeGrant", Map.of("KeyId", keyId, "GrantId", grantId)).statusCode(200);
    denied(encrypt(role, keyId, Map.of()));
    error(
        root.call("RevokeGrant", Map.of("KeyId", keyId, "GrantId", grantId)), "NotFoundException");
  }

  @Test
  void listGrants_filtersAndPagination_noTokenInOutput() {
    String keyId = root.createKey();
    String other = "arn:aws:iam::" + root.accountId() + ":user/Other";
    String g1 = grant(keyId, List.of("Encrypt"), Map.of("Name", "n1"));
    grant(
        keyId,
        List.of("Decrypt"),
        Map.of("Constraints", Map.of("EncryptionContextEquals", Map.of("k", "v"))));
    String g3 =
        createGrant(keyId, other, List.of("DescribeKey"), Map.of("RetiringPrincipal", roleArn))
            .statusCode(200)
            .extract()
            .path("GrantId");
    ValidatableResponse page1 =
        root.call("ListGrants", Map.of("KeyId", keyId, "Limit", 2))
            .statusCode(200)
            .body("Grants", hasSize(2))
            .body("Truncated", equalTo(true))
            .body("NextMarker", notNullValue())
            .body("Grants", everyItem(not(hasKey("GrantToken"))));
    root.call(
            "ListGrants",
            Map.of("KeyId", keyId, "Limit", 2, "Marker", page1.extract().path("NextMarker")))
        .statusCode(200)
        .body("Grants", hasSize(1))
        .body("Truncated", equalTo(false))
        .body("NextMarker", nullValue());
    root.call("ListGrants", Map.of("KeyId", keyId, "GranteePrincipal", other))
        .statusCode(200)
        .body("Grants", hasSize(1))
        .body("Grants[0].GrantId", equalTo(g3))
        .body("Grants[0].KeyId", equalTo(root.arnOf(keyId)))
        .body("Grants[0].RetiringPrincipal", equalTo(roleArn))
        .body("Grants[0].IssuingAccount", equalTo("arn:aws:iam::" + root.accountId() + ":root"))
        .body("Grants[0].Operations", containsInAnyOrder("DescribeKey"))
        .body("Grants[0].CreationDate", notNullValue());
    root.call("ListGrants", Map.of("KeyId", keyId, "GrantId", g1))
        .statusCode(200)
        .body("Grants", hasSize(1))
        .body("Grants[0].Name", equalTo("n1"))
        .body("Grants[0].GranteePrincipal", equalTo(roleArn));
    root.call("ListGrants", Map.of("KeyId", keyId, "GranteePrincipal", roleArn))
        .statusCode(200)
        .body(
            "Grants.find { it.Constraints != null }.Constraints.EncryptionContextEquals.k",
            equalTo("v"));
    error(
        root.call("ListGrants", Map.of("KeyId", keyId, "Marker", "!!")), "InvalidMarkerException");
    denied(role.call("ListGrants", Map.of("KeyId", keyId)));
  }

  @Test
  void listRetirableGrants_grantsOfRetiringPrincipalAcrossKeys_otherAccountDenied() {
    String retirer = "arn:aws:iam::" + root.accountId() + ":role/Retirer";
    String a =
        createGrant(
                root.createKey(), roleArn, List.of("Encrypt"), Map.of("RetiringPrincipal", retirer))
            .statusCode(200)
            .extract()
            .path("GrantId");
    String b =
        createGrant(
                root.createKey(), roleArn, List.of("Decrypt"), Map.of("RetiringPrincipal", retirer))
            .statusCode(200)
            .extract()
            .path("GrantId");
    root.call("ListRetirableGrants", Map.of("RetiringPrincipal", retirer))
        .statusCode(200)
        .body("Grants.GrantId", containsInAnyOrder(a, b))
        .body("Truncated", equalTo(false));
    root.call("ListRetirableGrants", Map.of("RetiringPrincipal", retirer, "Limit", 1))
        .statusCode(200)
        .body("Grants", hasSize(1))
        .body("Truncated", equalTo(true));
    KmsApi otherAccount = KmsApi.newAccount();
    denied(otherAccount.call("ListRetirableGrants", Map.of("RetiringPrincipal", retirer)));
  }

  @Test
  void crossAccountGrant_granteeInOtherAccountUsesKeyArn_allowed() {
    KmsApi otherRoot = KmsApi.newAccount();
    String consumerArn = "arn:aws:iam::" + otherRoot.accountId() + ":role/Consumer";
    KmsApi consumer = otherRoot.as(consumerArn);
    String keyId = root.createKey();
    String arn = root.arnOf(keyId);
    denied(encrypt(consumer, arn, Map.of("app", "x")));
    createGrant(
            keyId,
            consumerArn,
            List.of("Encrypt", "Decrypt"),
            Map.of("Constraints", Map.of("EncryptionContextSubset", Map.of("app", "x"))))
        .statusCode(200);
    String blob =
        encrypt(consumer, arn, Map.of("app", "x"))
            .statusCode(200)
            .body("KeyId", equalTo(arn))
            .extract()
            .path("CiphertextBlob");
    consumer
        .call("Decrypt", Map.of("CiphertextBlob", blob, "EncryptionContext", Map.of("app", "x")))
        .statusCode(200);
    denied(encrypt(consumer, arn, Map.of("app", "y")));
  }

  @Test
  void grantWithCreateGrant_granteeCreatesSubsetGrant_supersetOrLooserDenied() {
    String keyId = root.createKey();
    grant(
        keyId,
        List.of("Encrypt", "Decrypt", "CreateGrant"),
        Map.of("Constraints", Map.of("EncryptionContextSubset", Map.of("t", "1"))));
    String child = "arn:aws:iam::" + root.accountId() + ":role/Child";
    Map<String, Object> body =
        new HashMap<>(
            Map.of("KeyId", keyId, "GranteePrincipal", child, "Operations", List.of("Encrypt")));
    body.put("Constraints", Map.of("EncryptionContextEquals", Map.of("t", "1", "u", "2")));
    role.call("CreateGrant", body).statusCode(200);
    encrypt(root.as(child), keyId, Map.of("t", "1", "u", "2")).statusCode(200);
    body.put("Operations", List.of("GenerateDataKey"));
    denied(role.call("CreateGrant", body));
    body.put("Operations", List.of("Encrypt"));
    body.remove("Constraints");
    denied(role.call("CreateGrant", body));
  }

  @Test
  void createGrant_invalidRequests_awsErrors() {
    String keyId = root.createKey();
    error(createGrant(keyId, roleArn, List.of(), Map.of()), "ValidationException");
    createGrant(keyId, roleArn, List.of("Sign"), Map.of())
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body(
            "message",
            equalTo(
                "Grant operations [Sign] are not valid for a KMS key with KeyUsage ENCRYPT_DECRYPT and KeySpec SYMMETRIC_DEFAULT."));
    error(createGrant(keyId, roleArn, List.of("Fly"), Map.of()), "ValidationException");
    Map<String, String> nine = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      nine.put("k" + i, "v");
    }
    error(
        createGrant(
            keyId,
            roleArn,
            List.of("Encrypt"),
            Map.of("Constraints", Map.of("EncryptionContextSubset", nine))),
        "ValidationException");
    error(
        createGrant(
            keyId,
            roleArn,
            List.of("Encrypt"),
            Map.of("Constraints", Map.of("EncryptionContextEquals", Map.of("k", "v".repeat(385))))),
        "ValidationException");
    error(createGrant(keyId, "not-an-arn", List.of("Encrypt"), Map.of()), "InvalidArnException");
    error(
        createGrant(
            keyId, roleArn, List.of("Encrypt"), Map.of("GrantTokens", List.of("bogus-token"))),
        "InvalidGrantTokenException");
    error(
        root.call(
            "Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE, "GrantTokens", List.of("bogus"))),
        "InvalidGrantTokenException");
    error(root.call("RetireGrant", Map.of("GrantToken", "bogus")), "InvalidGrantTokenException");
    root.call("ListGrants", Map.of("KeyId", keyId)).statusCode(200).body("Grants", hasSize(0));
  }

  @Test
  void createGrant_dryRun_dryRunOperationExceptionAndNothingCreated() {
    String keyId = root.createKey();
    createGrant(keyId, roleArn, List.of("Encrypt"), Map.of("DryRun", true))
        .statusCode(400)
        .body("__type", equalTo("DryRunOperationException"))
        .body(
            "message", equalTo("The request would have succeeded, but the DryRun option is set."));
    root.call("ListGrants", Map.of("KeyId", keyId)).statusCode(200).body("Grants", hasSize(0));
    denied(encrypt(role, keyId, Map.of()));
    // A DryRun that would fail reports the failure instead.
    denied(
        role.call(
            "CreateGrant",
            Map.of(
                "KeyId",
                keyId,
                "GranteePrincipal",
                roleArn,
                "Operations",
                List.of("Encrypt"),
                "DryRun",
                true)));
  }

  @Test
  void createGrant_disabledOrPendingDeletionKey_keyStateErrors() {
    String disabled = root.createKey();
    root.call("DisableKey", Map.of("KeyId", disabled)).statusCode(200);
    createGrant(disabled, roleArn, List.of("Encrypt"), Map.of())
        .statusCode(400)
        .body("__type", equalTo("DisabledException"))
        .body("message", equalTo(root.arnOf(disabled) + " is disabled."));
    String pending = root.createKey();
    String grantId = grant(pending, List.of("Encrypt"), Map.of());
    root.call("ScheduleKeyDeletion", Map.of("KeyId", pending, "PendingWindowInDays", 7))
        .statusCode(200);
    createGrant(pending, roleArn, List.of("Encrypt"), Map.of())
        .statusCode(400)
        .body("__type", equalTo("KMSInvalidStateException"))
        .body("message", equalTo(root.arnOf(pending) + " is pending deletion."));
    // ListGrants and RevokeGrant work in every key state.
    root.call("ListGrants", Map.of("KeyId", pending)).statusCode(200).body("Grants", hasSize(1));
    root.call("RevokeGrant", Map.of("KeyId", pending, "GrantId", grantId)).statusCode(200);
  }
}
