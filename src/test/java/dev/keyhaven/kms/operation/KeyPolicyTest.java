package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GetKeyPolicy, PutKeyPolicy, ListKeyPolicies, CreateKey Policy: validation and lockout check. */
@QuarkusTest
class KeyPolicyTest {
  private final KmsApi kms = KmsApi.newAccount();

  private String policy(String principal, String action) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
        + principal
        + "\"},\"Action\":\""
        + action
        + "\",\"Resource\":\"*\"}]}";
  }

  private String root() {
    return "arn:aws:iam::" + kms.accountId() + ":root";
  }

  // AWS KMS Developer Guide, default key policy: the account root gets kms:*.
  @Test
  void getKeyPolicy_noPolicyGiven_defaultPolicyForAccountRoot() {
    String keyId = kms.createKey();
    kms.call("GetKeyPolicy", Map.of("KeyId", keyId, "PolicyName", "default"))
        .statusCode(200)
        .body("PolicyName", equalTo("default"))
        .body("Policy", containsString("\"AWS\" : \"" + root() + "\""))
        .body("Policy", containsString("\"Action\" : \"kms:*\""));
    kms.call("ListKeyPolicies", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("PolicyNames", contains("default"))
        .body("Truncated", equalTo(false));
  }

  @Test
  void putKeyPolicy_valid_storedVerbatim() {
    String keyId = kms.createKey();
    String policy = policy(root(), "kms:*");
    kms.call("PutKeyPolicy", Map.of("KeyId", keyId, "PolicyName", "default", "Policy", policy))
        .statusCode(200);
    kms.call("GetKeyPolicy", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("Policy", equalTo(policy));
  }

  // AWS KMS API Reference, PutKeyPolicy: the lockout safety check.
  @Test
  void putKeyPolicy_lockingOutCaller_malformedUnlessBypassed() {
    String keyId = kms.createKey();
    String someoneElse = policy("arn:aws:iam::" + kms.accountId() + ":role/Other", "kms:*");
    kms.call("PutKeyPolicy", Map.of("KeyId", keyId, "Policy", someoneElse))
        .statusCode(400)
        .body("__type", equalTo("MalformedPolicyDocumentException"))
        .body(
            "message",
            equalTo(
                "The new key policy will not allow you to update the key policy in the future."));
    kms.call(
            "PutKeyPolicy",
            Map.of("KeyId", keyId, "Policy", someoneElse, "BypassPolicyLockoutSafetyCheck", true))
        .statusCode(200);
    // Locked out now: the root no longer has any permission on the key.
    kms.call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  @Test
  void putKeyPolicy_badDocuments_rejectedAndPolicyUnchanged() {
    String keyId = kms.createKey();
    String before = kms.call("GetKeyPolicy", Map.of("KeyId", keyId)).extract().path("Policy");
    for (String bad :
        new String[] {
          "not json",
          "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",
          "{\"Statement\":[{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",
          "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\","
              + "\"Condition\":{\"StringEqualsSometimes\":{\"a\":\"b\"}}}]}"
        }) {
      kms.call("PutKeyPolicy", Map.of("KeyId", keyId, "Policy", bad))
          .statusCode(400)
          .body("__type", equalTo("MalformedPolicyDocumentException"));
    }
    kms.call(
            "PutKeyPolicy",
            Map.of("KeyId", keyId, "Policy", policy(root(), "kms:*") + " ".repeat(33 * 1024)))
        .statusCode(400)
        .body("__type", equalTo("LimitExceededException"));
    kms.call(
            "PutKeyPolicy",
            Map.of("KeyId", keyId, "PolicyName", "other", "Policy", policy(root(), "kms:*")))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
    kms.call("GetKeyPolicy", Map.of("KeyId", keyId)).body("Policy", equalTo(before));
  }

  @Test
  void createKey_withPolicy_validatedAndStored() {
    String policy = policy(root(), "kms:*");
    String keyId =
        kms.call("CreateKey", Map.of("Policy", policy))
            .statusCode(200)
            .extract()
            .path("KeyMetadata.KeyId");
    kms.call("GetKeyPolicy", Map.of("KeyId", keyId)).body("Policy", equalTo(policy));
    kms.call("CreateKey", Map.of("Policy", "{}"))
        .statusCode(400)
        .body("__type", equalTo("MalformedPolicyDocumentException"));
    kms.call(
            "CreateKey",
            Map.of("Policy", policy("arn:aws:iam::" + kms.accountId() + ":role/Other", "kms:*")))
        .statusCode(400)
        .body("__type", equalTo("MalformedPolicyDocumentException"));
  }
}
