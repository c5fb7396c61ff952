package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One partition everywhere (issue 16, item 8): the service serves {@code kms.partition} ({@code
 * aws} in the tests). A principal of another partition is a different principal — never the account
 * root, never matched by a policy naming an {@code aws} principal, and not matching an {@code aws}
 * caller when a policy names it; a key ARN of another partition names no key here.
 */
@QuarkusTest
class PartitionTest {
  private static final String ONE = "AQ==";
  private final KmsApi root = KmsApi.newAccount();

  private static String policy(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  private static String allow(String principal, String action) {
    return "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
        + principal
        + "\"},\"Action\":\""
        + action
        + "\",\"Resource\":\"*\"}";
  }

  // Before: arn:aws-cn:iam::<acct>:root could CreateKey, and its ListKeys listed the aws account's
  // keys, while KeyhavenAdmin refused it.
  @Test
  void otherPartitionsRoot_isNoCallerHere() {
    String keyId = root.createKey();
    for (String partition : List.of("aws-cn", "aws-us-gov")) {
      KmsApi other = root.as("arn:" + partition + ":iam::" + root.accountId() + ":root");
      for (String op : List.of("CreateKey", "ListKeys")) {
        other
            .call(op, Map.of())
            .statusCode(400)
            .body("__type", equalTo("UnrecognizedClientException"))
            .body("message", equalTo("The security token included in the request is invalid."));
      }
      other
          .call("DescribeKey", Map.of("KeyId", keyId))
          .statusCode(400)
          .body("__type", equalTo("UnrecognizedClientException"));
      other
          .callAdmin("ListAccessKeys", Map.of())
          .statusCode(400)
          .body("__type", equalTo("UnrecognizedClientException"));
    }
    root.call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200);
  }

  // Before: Principals dropped the partition, so arn:aws-cn:iam::B:root in a key policy let
  // account B of aws use the key.
  @Test
  void keyPolicyNamingAnotherPartitionsRoot_doesNotAdmitTheAwsAccount() {
    KmsApi consumer = KmsApi.newAccount();
    String own = allow("arn:aws:iam::" + root.accountId() + ":root", "kms:*");
    String cn =
        root.call(
                "CreateKey",
                Map.of(
                    "Policy",
                    policy(
                        own,
                        allow("arn:aws-cn:iam::" + consumer.accountId() + ":root", "kms:Encrypt"))))
            .statusCode(200)
            .extract()
            .path("KeyMetadata.Arn");
    consumer
        .call("Encrypt", Map.of("KeyId", cn, "Plaintext", ONE))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    String aws =
        root.call(
                "CreateKey",
                Map.of(
                    "Policy",
                    policy(
                        own,
                        allow("arn:aws:iam::" + consumer.accountId() + ":root", "kms:Encrypt"))))
            .statusCode(200)
            .extract()
            .path("KeyMetadata.Arn");
    consumer.call("Encrypt", Map.of("KeyId", aws, "Plaintext", ONE)).statusCode(200);
    String bare =
        root.call(
                "CreateKey",
                Map.of("Policy", policy(own, allow(consumer.accountId(), "kms:Encrypt"))))
            .statusCode(200)
            .extract()
            .path("KeyMetadata.Arn");
    consumer.call("Encrypt", Map.of("KeyId", bare, "Plaintext", ONE)).statusCode(200);
  }

  // Principals the account manages, grants name, or the default policy and IssuingAccount spell
  // are of the service's partition.
  @Test
  void principalsOfAnotherPartition_refusedAsMembers() {
    String cnRole = "arn:aws-cn:iam::" + root.accountId() + ":role/App";
    root.callAdmin(
            "PutPrincipalPolicy",
            Map.of(
                "PrincipalArn",
                cnRole,
                "PolicyDocument",
                policy("{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}")))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    String keyId = root.createKey();
    root.call(
            "CreateGrant",
            Map.of("KeyId", keyId, "GranteePrincipal", cnRole, "Operations", List.of("Encrypt")))
        .statusCode(400)
        .body("__type", equalTo("InvalidArnException"));
    root.call("ListRetirableGrants", Map.of("RetiringPrincipal", cnRole))
        .statusCode(400)
        .body("__type", equalTo("InvalidArnException"));
    root.call("GetKeyPolicy", Map.of("KeyId", keyId, "PolicyName", "default"))
        .statusCode(200)
        .body(
            "Policy",
            org.hamcrest.Matchers.containsString("\"arn:aws:iam::" + root.accountId() + ":root\""));
  }

  // Before: arn:aws-cn:kms:…:key/<id> resolved to the aws key of the same account and id.
  @Test
  void keyArnOfAnotherPartition_namesNoKeyHere() {
    String keyId = root.createKey();
    String cnArn = "arn:aws-cn:kms:us-east-1:" + root.accountId() + ":key/" + keyId;
    root.call("DescribeKey", Map.of("KeyId", cnArn))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"))
        .body("message", equalTo("Key '" + cnArn + "' does not exist"));
    root.call("CreateAlias", Map.of("AliasName", "alias/p", "TargetKeyId", keyId)).statusCode(200);
    String cnAlias = "arn:aws-cn:kms:us-east-1:" + root.accountId() + ":alias/p";
    root.call("DescribeKey", Map.of("KeyId", cnAlias))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"))
        .body("message", equalTo("Alias " + cnAlias + " is not found."));
    root.call("DescribeKey", Map.of("KeyId", root.arnOf(keyId)))
        .statusCode(200)
        .body("KeyMetadata.Arn", equalTo(root.arnOf(keyId)));
  }
}
