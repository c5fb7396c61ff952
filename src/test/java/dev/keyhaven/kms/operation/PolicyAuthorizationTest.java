package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every request is decided by the key policy and the caller's identity policy (AWS KMS Developer
 * Guide, "Determining access to an AWS KMS key"): root delegation, direct grants in the key policy,
 * explicit deny, cross-account use, conditions.
 */
@QuarkusTest
class PolicyAuthorizationTest {
  private static final String ONE = "AQ==";
  private final KmsApi root = KmsApi.newAccount();
  private final String roleArn = "arn:aws:iam::" + root.accountId() + ":role/App";
  private final KmsApi role = root.as(roleArn);

  private static String statement(
      String effect, String principal, String action, String condition) {
    return "{\"Effect\":\""
        + effect
        + "\","
        + (principal == null ? "" : "\"Principal\":{\"AWS\":\"" + principal + "\"},")
        + "\"Action\":\""
        + action
        + "\",\"Resource\":\"*\""
        + (condition == null ? "" : ",\"Condition\":" + condition)
        + "}";
  }

  private static String policy(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  private void putIdentityPolicy(KmsApi owner, String principal, String document) {
    owner
        .callAdmin(
            "PutPrincipalPolicy", Map.of("PrincipalArn", principal, "PolicyDocument", document))
        .statusCode(200);
  }

  private String keyWithPolicy(String... extraStatements) {
    String rootStatement =
        statement("Allow", "arn:aws:iam::" + root.accountId() + ":root", "kms:*", null);
    String[] all = new String[extraStatements.length + 1];
    all[0] = rootStatement;
    System.arraycopy(extraStatements, 0, all, 1, extraStatements.length);
    return root.call("CreateKey", Map.of("Policy", policy(all)))
        .statusCode(200)
        .extract()
        .path("KeyMetadata.KeyId");
  }

  @Test
  void role_keyPolicyDelegatesToAccountButNoIdentityPolicy_denied() {
    String keyId = root.createKey();
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"))
        .body(
            "message",
            equalTo(
                "User: "
                    + roleArn
                    + " is not authorized to perform: kms:Encrypt on resource: "
                    + root.arnOf(keyId)
                    + " because no identity-based policy allows the kms:Encrypt action"));
  }

  @Test
  void role_identityPolicyAllows_allowedThroughRootDelegation() {
    String keyId = root.createKey();
    putIdentityPolicy(root, roleArn, policy(statement("Allow", null, "kms:Encrypt", null)));
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE)).statusCode(200);
    role.call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    root.callAdmin("DeletePrincipalPolicy", Map.of("PrincipalArn", roleArn)).statusCode(200);
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  @Test
  void tokenIssuedBeforeAPolicysCutoff_denied_byAwsTokenIssueTime() {
    // AWS's "revoke active sessions" pattern: deny every token issued before a moment.
    String keyId = root.createKey();
    String later = java.time.Instant.now().plusSeconds(3600).toString();
    String earlier = java.time.Instant.now().minusSeconds(3600).toString();
    String allow = statement("Allow", null, "kms:Encrypt", null);
    putIdentityPolicy(
        root,
        roleArn,
        policy(
            allow,
            statement(
                "Deny",
                null,
                "kms:*",
                "{\"DateLessThan\":{\"aws:TokenIssueTime\":\"" + later + "\"}}")));
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"))
        .body(
            "message",
            equalTo(
                "User: "
                    + roleArn
                    + " is not authorized to perform: kms:Encrypt on resource: "
                    + root.arnOf(keyId)
                    + " with an explicit deny in an identity-based policy"));
    putIdentityPolicy(
        root,
        roleArn,
        policy(
            allow,
            statement(
                "Deny",
                null,
                "kms:*",
                "{\"DateLessThan\":{\"aws:TokenIssueTime\":\"" + earlier + "\"}}")));
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE)).statusCode(200);
  }

  @Test
  void role_namedInKeyPolicy_allowedWithoutIdentityPolicy() {
    String keyId = keyWithPolicy(statement("Allow", roleArn, "kms:Encrypt", null));
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE)).statusCode(200);
    role.call("Decrypt", Map.of("CiphertextBlob", "AQ==")).statusCode(400);
  }

  @Test
  void explicitDenyInKeyPolicy_beatsIdentityAllow() {
    String keyId = keyWithPolicy(statement("Deny", roleArn, "kms:Encrypt", null));
    putIdentityPolicy(root, roleArn, policy(statement("Allow", null, "kms:*", null)));
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
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
  void encryptionContextCondition_enforcedCaseSensitiveValue() {
    String keyId =
        keyWithPolicy(
            statement(
                "Allow",
                roleArn,
                "kms:Encrypt",
                "{\"StringEquals\":{\"kms:EncryptionContext:tenant\":\"acme\"}}"));
    role.call(
            "Encrypt",
            Map.of("KeyId", keyId, "Plaintext", ONE, "EncryptionContext", Map.of("tenant", "acme")))
        .statusCode(200);
    role.call(
            "Encrypt",
            Map.of("KeyId", keyId, "Plaintext", ONE, "EncryptionContext", Map.of("tenant", "ACME")))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  @Test
  void crossAccount_needsKeyPolicyAndIdentityPolicy() {
    KmsApi otherRoot = KmsApi.newAccount();
    String otherRole = "arn:aws:iam::" + otherRoot.accountId() + ":role/Consumer";
    KmsApi consumer = otherRoot.as(otherRole);
    String keyId =
        keyWithPolicy(
            statement(
                "Allow", "arn:aws:iam::" + otherRoot.accountId() + ":root", "kms:Encrypt", null));
    String arn = root.arnOf(keyId);
    consumer
        .call("Encrypt", Map.of("KeyId", arn, "Plaintext", ONE))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    putIdentityPolicy(otherRoot, otherRole, policy(statement("Allow", null, "kms:Encrypt", null)));
    consumer
        .call("Encrypt", Map.of("KeyId", arn, "Plaintext", ONE))
        .statusCode(200)
        .body("KeyId", equalTo(arn));
    // Management operations are never cross-account.
    otherRoot
        .call("DisableKey", Map.of("KeyId", arn))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    // A bare key id resolves in the caller's own account.
    consumer
        .call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
  }

  @Test
  void keylessActions_rootAllowedRoleNeedsIdentityPolicy() {
    role.call("CreateKey", Map.of())
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    role.call("ListKeys", Map.of())
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    role.call("GenerateRandom", Map.of("NumberOfBytes", 8))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    putIdentityPolicy(
        root,
        roleArn,
        policy(
            statement("Allow", null, "kms:CreateKey", null),
            statement("Allow", null, "kms:List*", null)));
    role.call("ListKeys", Map.of()).statusCode(200);
    // The new key's default policy names the root only: the role may create it, not use it.
    String keyId =
        role.call("CreateKey", Map.of()).statusCode(200).extract().path("KeyMetadata.KeyId");
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE)).statusCode(400);
  }

  @Test
  void identityPolicyAdmin_rootOnlyAndValidated() {
    role.callAdmin(
            "PutPrincipalPolicy",
            Map.of(
                "PrincipalArn",
                roleArn,
                "PolicyDocument",
                policy(statement("Allow", null, "kms:*", null))))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    root.callAdmin(
            "PutPrincipalPolicy",
            Map.of(
                "PrincipalArn",
                roleArn,
                "PolicyDocument",
                policy(statement("Allow", "*", "kms:*", null))))
        .statusCode(400)
        .body("__type", equalTo("MalformedPolicyDocumentException"));
    KmsApi.newAccount()
        .callAdmin(
            "PutPrincipalPolicy",
            Map.of(
                "PrincipalArn",
                roleArn,
                "PolicyDocument",
                policy(statement("Allow", null, "kms:*", null))))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    String document = policy(statement("Allow", null, "kms:Encrypt", null));
    putIdentityPolicy(root, roleArn, document);
    root.callAdmin("GetPrincipalPolicy", Map.of("PrincipalArn", roleArn))
        .statusCode(200)
        .body("PolicyDocument", equalTo(document));
  }

  // An assumed-role session is governed by its role's identity policy.
  @Test
  void assumedRoleSession_usesRolesIdentityPolicy() {
    String keyId = root.createKey();
    putIdentityPolicy(root, roleArn, policy(statement("Allow", null, "kms:Encrypt", null)));
    root.as("arn:aws:sts::" + root.accountId() + ":assumed-role/App/session-1")
        .call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
        .statusCode(200);
  }

  // aws:SourceIp and aws:SecureTransport come from the connection (tests connect over plain HTTP
  // from the loopback address).
  @Test
  void sourceIpAndSecureTransportConditions_fromTheConnection() {
    String loopbackOnly =
        keyWithPolicy(
            statement(
                "Allow",
                roleArn,
                "kms:Encrypt",
                "{\"IpAddress\":{\"aws:SourceIp\":[\"127.0.0.0/8\",\"::1/128\"]}}"));
    role.call("Encrypt", Map.of("KeyId", loopbackOnly, "Plaintext", ONE)).statusCode(200);
    String elsewhereOnly =
        keyWithPolicy(
            statement(
                "Allow",
                roleArn,
                "kms:Encrypt",
                "{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}"));
    role.call("Encrypt", Map.of("KeyId", elsewhereOnly, "Plaintext", ONE))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    String tlsOnly =
        keyWithPolicy(
            statement("Allow", roleArn, "kms:Encrypt", null),
            statement("Deny", "*", "kms:*", "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"));
    role.call("Encrypt", Map.of("KeyId", tlsOnly, "Plaintext", ONE))
        .statusCode(400)
        .body(
            "message",
            org.hamcrest.Matchers.endsWith("with an explicit deny in a resource-based policy"));
  }

  // kms:ResourceAliases: the key's aliases at request time (AWS KMS Developer Guide, ABAC).
  @Test
  void resourceAliasesCondition_followsTheKeysAliases() {
    String keyId =
        keyWithPolicy(
            statement(
                "Allow",
                roleArn,
                "kms:Encrypt",
                "{\"ForAnyValue:StringEquals\":{\"kms:ResourceAliases\":\"alias/payments\"}}"));
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    root.call("CreateAlias", Map.of("AliasName", "alias/payments", "TargetKeyId", keyId))
        .statusCode(200);
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE)).statusCode(200);
    root.call("DeleteAlias", Map.of("AliasName", "alias/payments")).statusCode(200);
    role.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ONE))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }
}
