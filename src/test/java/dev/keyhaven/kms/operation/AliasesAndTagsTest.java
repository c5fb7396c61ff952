package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CreateAlias, UpdateAlias, DeleteAlias, ListAliases, TagResource, UntagResource, ListResourceTags.
 */
@QuarkusTest
class AliasesAndTagsTest {
  private final KmsApi kms = KmsApi.newAccount();

  @Test
  void createAlias_thenEncryptByAlias_usesTarget() {
    String keyId = kms.createKey();
    kms.call("CreateAlias", Map.of("AliasName", "alias/app", "TargetKeyId", kms.arnOf(keyId)))
        .statusCode(200);
    kms.call("Encrypt", Map.of("KeyId", "alias/app", "Plaintext", KmsApi.b64(new byte[] {1})))
        .statusCode(200)
        .body("KeyId", equalTo(kms.arnOf(keyId)));
  }

  @Test
  void createAlias_sameNameTwice_alreadyExists() {
    String keyId = kms.createKey();
    kms.call("CreateAlias", Map.of("AliasName", "alias/twice", "TargetKeyId", keyId))
        .statusCode(200);
    kms.call("CreateAlias", Map.of("AliasName", "alias/twice", "TargetKeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("AlreadyExistsException"))
        .body(
            "message",
            equalTo(
                "An alias with the name arn:aws:kms:us-east-1:"
                    + kms.accountId()
                    + ":alias/twice already exists"));
  }

  @Test
  void createAlias_sameNameInAnotherAccount_allowed() {
    KmsApi other = KmsApi.newAccount();
    kms.call(
            "CreateAlias", Map.of("AliasName", "alias/shared-name", "TargetKeyId", kms.createKey()))
        .statusCode(200);
    other
        .call(
            "CreateAlias",
            Map.of("AliasName", "alias/shared-name", "TargetKeyId", other.createKey()))
        .statusCode(200);
  }

  @Test
  void createAlias_badNames_rejected() {
    String keyId = kms.createKey();
    kms.call("CreateAlias", Map.of("AliasName", "app", "TargetKeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body("message", startsWith("Alias must start with the prefix \"alias/\"."));
    kms.call("CreateAlias", Map.of("AliasName", "alias/aws/s3", "TargetKeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("InvalidAliasNameException"));
    kms.call("CreateAlias", Map.of("AliasName", "alias/has space", "TargetKeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body(
            "message",
            equalTo(
                "1 validation error detected: Value 'alias/has space' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$"));
    kms.call("CreateAlias", Map.of("AliasName", "alias/" + "a".repeat(251), "TargetKeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }

  @Test
  void createAlias_targetIsAlias_notFound() {
    String keyId = kms.createKey();
    kms.call("CreateAlias", Map.of("AliasName", "alias/first", "TargetKeyId", keyId))
        .statusCode(200);
    kms.call("CreateAlias", Map.of("AliasName", "alias/second", "TargetKeyId", "alias/first"))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
  }

  @Test
  void createAlias_fiftyFirstAliasOfKey_limitExceeded() {
    String keyId = kms.createKey();
    for (int i = 0; i < 50; i++) {
      kms.call("CreateAlias", Map.of("AliasName", "alias/many-" + i, "TargetKeyId", keyId))
          .statusCode(200);
    }
    kms.call("CreateAlias", Map.of("AliasName", "alias/many-50", "TargetKeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("LimitExceededException"));
  }

  @Test
  void updateAlias_newTarget_resolvesToNewKey() {
    String first = kms.createKey();
    String second = kms.createKey();
    kms.call("CreateAlias", Map.of("AliasName", "alias/moving", "TargetKeyId", first))
        .statusCode(200);
    kms.call("UpdateAlias", Map.of("AliasName", "alias/moving", "TargetKeyId", second))
        .statusCode(200);
    kms.call("DescribeKey", Map.of("KeyId", "alias/moving"))
        .body("KeyMetadata.KeyId", equalTo(second));
  }

  @Test
  void updateAlias_unknownAlias_notFound() {
    kms.call("UpdateAlias", Map.of("AliasName", "alias/ghost", "TargetKeyId", kms.createKey()))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
  }

  @Test
  void deleteAlias_thenResolve_notFound() {
    String keyId = kms.createKey();
    kms.call("CreateAlias", Map.of("AliasName", "alias/gone", "TargetKeyId", keyId))
        .statusCode(200);
    kms.call("DeleteAlias", Map.of("AliasName", "alias/gone")).statusCode(200);
    kms.call("DescribeKey", Map.of("KeyId", "alias/gone"))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
    kms.call("DeleteAlias", Map.of("AliasName", "alias/gone"))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
    kms.call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200);
  }

  @Test
  void listAliases_keyFilterAndPagination_completeAndOrdered() {
    KmsApi fresh = KmsApi.newAccount();
    String a = fresh.createKey();
    String b = fresh.createKey();
    for (String name : new String[] {"alias/c", "alias/a", "alias/b"}) {
      fresh.call("CreateAlias", Map.of("AliasName", name, "TargetKeyId", a)).statusCode(200);
    }
    fresh.call("CreateAlias", Map.of("AliasName", "alias/other", "TargetKeyId", b)).statusCode(200);
    fresh
        .call("ListAliases", Map.of("KeyId", b))
        .statusCode(200)
        .body("Aliases.AliasName", contains("alias/other"))
        .body(
            "Aliases[0].AliasArn",
            equalTo("arn:aws:kms:us-east-1:" + fresh.accountId() + ":alias/other"))
        .body("Aliases[0].TargetKeyId", equalTo(b));
    List<String> names = new ArrayList<>();
    String marker = null;
    do {
      Map<String, Object> req = new java.util.HashMap<>(Map.of("KeyId", a, "Limit", 2));
      if (marker != null) {
        req.put("Marker", marker);
      }
      var page = fresh.call("ListAliases", req).statusCode(200).extract();
      names.addAll(page.path("Aliases.AliasName"));
      marker = page.path("NextMarker");
    } while (marker != null);
    assertEquals(List.of("alias/a", "alias/b", "alias/c"), names);
    fresh.call("ListAliases", Map.of()).statusCode(200).body("Aliases", hasSize(4));
  }

  @Test
  void tagResource_replaceValueAddAndUntag_listedSortedByKey() {
    String keyId = kms.createKey();
    kms.call(
            "TagResource",
            Map.of(
                "KeyId",
                keyId,
                "Tags",
                List.of(
                    Map.of("TagKey", "b", "TagValue", "1"), Map.of("TagKey", "a", "TagValue", ""))))
        .statusCode(200);
    kms.call(
            "TagResource",
            Map.of("KeyId", keyId, "Tags", List.of(Map.of("TagKey", "b", "TagValue", "2"))))
        .statusCode(200);
    kms.call("ListResourceTags", Map.of("KeyId", keyId))
        .body("Tags.TagKey", contains("a", "b"))
        .body("Tags.TagValue", contains("", "2"));
    kms.call("UntagResource", Map.of("KeyId", keyId, "TagKeys", List.of("a", "never-there")))
        .statusCode(200);
    kms.call("ListResourceTags", Map.of("KeyId", keyId)).body("Tags.TagKey", contains("b"));
    kms.call("UntagResource", Map.of("KeyId", keyId, "TagKeys", List.of("b"))).statusCode(200);
    kms.call("ListResourceTags", Map.of("KeyId", keyId)).body("Tags", empty());
  }

  @Test
  void tagResource_duplicateReservedOrTooMany_tagException() {
    String keyId = kms.createKey();
    kms.call(
            "TagResource",
            Map.of(
                "KeyId",
                keyId,
                "Tags",
                List.of(
                    Map.of("TagKey", "x", "TagValue", "1"),
                    Map.of("TagKey", "x", "TagValue", "2"))))
        .statusCode(400)
        .body("__type", equalTo("TagException"))
        .body("message", equalTo("Duplicate tag keys"));
    kms.call(
            "TagResource",
            Map.of("KeyId", keyId, "Tags", List.of(Map.of("TagKey", "aws:owner", "TagValue", "1"))))
        .statusCode(400)
        .body("__type", equalTo("TagException"));
    List<Map<String, String>> fifty = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fifty.add(Map.of("TagKey", "k" + i, "TagValue", "v"));
    }
    kms.call("TagResource", Map.of("KeyId", keyId, "Tags", fifty)).statusCode(200);
    kms.call(
            "TagResource",
            Map.of("KeyId", keyId, "Tags", List.of(Map.of("TagKey", "one-more", "TagValue", "v"))))
        .statusCode(400)
        .body("__type", equalTo("TagException"))
        .body("message", equalTo("Too many tags"));
    kms.call("ListResourceTags", Map.of("KeyId", keyId)).body("Tags", hasSize(50));
  }

  @Test
  void listResourceTags_pagination_limitAndMarker() {
    String keyId = kms.createKey();
    kms.call(
            "TagResource",
            Map.of(
                "KeyId",
                keyId,
                "Tags",
                List.of(
                    Map.of("TagKey", "t1", "TagValue", "v"),
                    Map.of("TagKey", "t2", "TagValue", "v"),
                    Map.of("TagKey", "t3", "TagValue", "v"))))
        .statusCode(200);
    String marker =
        kms.call("ListResourceTags", Map.of("KeyId", keyId, "Limit", 2))
            .statusCode(200)
            .body("Tags.TagKey", contains("t1", "t2"))
            .body("Truncated", equalTo(true))
            .extract()
            .path("NextMarker");
    kms.call("ListResourceTags", Map.of("KeyId", keyId, "Limit", 2, "Marker", marker))
        .statusCode(200)
        .body("Tags.TagKey", contains("t3"))
        .body("Truncated", equalTo(false));
    kms.call("ListResourceTags", Map.of("KeyId", keyId, "Limit", 51))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body("message", startsWith("1 validation error detected: Value '51' at 'limit'"));
  }
}
