package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell of the AWS key-state table (Developer Guide, "Key states of AWS KMS keys"; reference
 * §1.4) for the states Keyhaven keys can be in (Enabled, Disabled, PendingDeletion) and every
 * operation that names a key, grants included. Messages are AWS's footnote texts.
 */
@QuarkusTest
class KeyStateTableTest {
  private static final KmsApi KMS = KmsApi.newAccount();

  /** A key put into a state, with a ciphertext made while it was enabled and an alias. */
  record Subject(String keyId, String arn, String ciphertext, String alias, String grantId) {}

  private static final String OK = "200";
  private static final String DISABLED = "DisabledException: %s is disabled.";
  private static final String PENDING = "KMSInvalidStateException: %s is pending deletion.";
  private static final String NOT_PENDING = "KMSInvalidStateException: %s is not pending deletion.";

  private static final Map<String, Function<Subject, ValidatableResponse>> OPERATIONS =
      Map.ofEntries(
          Map.entry("DescribeKey", s -> KMS.call("DescribeKey", Map.of("KeyId", s.keyId()))),
          Map.entry("EnableKey", s -> KMS.call("EnableKey", Map.of("KeyId", s.keyId()))),
          Map.entry("DisableKey", s -> KMS.call("DisableKey", Map.of("KeyId", s.keyId()))),
          Map.entry(
              "UpdateKeyDescription",
              s ->
                  KMS.call("UpdateKeyDescription", Map.of("KeyId", s.keyId(), "Description", "d"))),
          Map.entry(
              "ScheduleKeyDeletion",
              s ->
                  KMS.call(
                      "ScheduleKeyDeletion", Map.of("KeyId", s.keyId(), "PendingWindowInDays", 7))),
          Map.entry(
              "CancelKeyDeletion", s -> KMS.call("CancelKeyDeletion", Map.of("KeyId", s.keyId()))),
          Map.entry(
              "CreateAlias",
              s ->
                  KMS.call(
                      "CreateAlias",
                      Map.of("AliasName", s.alias() + "-new", "TargetKeyId", s.keyId()))),
          Map.entry("UpdateAlias", KeyStateTableTest::updateAliasToSubject),
          Map.entry("DeleteAlias", s -> KMS.call("DeleteAlias", Map.of("AliasName", s.alias()))),
          Map.entry("ListAliases", s -> KMS.call("ListAliases", Map.of("KeyId", s.keyId()))),
          Map.entry(
              "TagResource",
              s ->
                  KMS.call(
                      "TagResource",
                      Map.of(
                          "KeyId",
                          s.keyId(),
                          "Tags",
                          List.of(Map.of("TagKey", "k", "TagValue", "v"))))),
          Map.entry(
              "UntagResource",
              s -> KMS.call("UntagResource", Map.of("KeyId", s.keyId(), "TagKeys", List.of("k")))),
          Map.entry(
              "ListResourceTags", s -> KMS.call("ListResourceTags", Map.of("KeyId", s.keyId()))),
          Map.entry(
              "Encrypt",
              s ->
                  KMS.call(
                      "Encrypt",
                      Map.of("KeyId", s.keyId(), "Plaintext", KmsApi.b64(new byte[] {1})))),
          Map.entry("Decrypt", s -> KMS.call("Decrypt", Map.of("CiphertextBlob", s.ciphertext()))),
          Map.entry("ReEncrypt", KeyStateTableTest::reEncryptFromSubject),
          Map.entry(
              "GenerateDataKey",
              s -> KMS.call("GenerateDataKey", Map.of("KeyId", s.keyId(), "KeySpec", "AES_256"))),
          Map.entry(
              "GenerateDataKeyWithoutPlaintext",
              s ->
                  KMS.call(
                      "GenerateDataKeyWithoutPlaintext",
                      Map.of("KeyId", s.keyId(), "NumberOfBytes", 32))),
          Map.entry("CreateGrant", s -> KMS.call("CreateGrant", grantOn(s))),
          Map.entry("ListGrants", s -> KMS.call("ListGrants", Map.of("KeyId", s.keyId()))),
          Map.entry(
              "RevokeGrant",
              s -> KMS.call("RevokeGrant", Map.of("KeyId", s.keyId(), "GrantId", s.grantId()))),
          Map.entry(
              "RetireGrant",
              s -> KMS.call("RetireGrant", Map.of("KeyId", s.keyId(), "GrantId", s.grantId()))),
          Map.entry(
              "EnableKeyRotation", s -> KMS.call("EnableKeyRotation", Map.of("KeyId", s.keyId()))),
          Map.entry(
              "DisableKeyRotation",
              s -> KMS.call("DisableKeyRotation", Map.of("KeyId", s.keyId()))),
          Map.entry(
              "GetKeyRotationStatus",
              s -> KMS.call("GetKeyRotationStatus", Map.of("KeyId", s.keyId()))),
          Map.entry(
              "RotateKeyOnDemand", s -> KMS.call("RotateKeyOnDemand", Map.of("KeyId", s.keyId()))),
          Map.entry(
              "ListKeyRotations", s -> KMS.call("ListKeyRotations", Map.of("KeyId", s.keyId()))),
          Map.entry(
              "GetKeyLastUsage", s -> KMS.call("GetKeyLastUsage", Map.of("KeyId", s.keyId()))));

  /** operation → expected outcome in Enabled, Disabled, PendingDeletion. */
  private static final Map<String, String[]> TABLE =
      Map.ofEntries(
          Map.entry("DescribeKey", new String[] {OK, OK, OK}),
          Map.entry("EnableKey", new String[] {OK, OK, PENDING}),
          Map.entry("DisableKey", new String[] {OK, OK, PENDING}),
          Map.entry("UpdateKeyDescription", new String[] {OK, OK, PENDING}),
          Map.entry("ScheduleKeyDeletion", new String[] {OK, OK, PENDING}),
          Map.entry("CancelKeyDeletion", new String[] {NOT_PENDING, NOT_PENDING, OK}),
          Map.entry("CreateAlias", new String[] {OK, OK, PENDING}),
          // [10]: the destination of UpdateAlias must not be pending deletion.
          Map.entry("UpdateAlias", new String[] {OK, OK, PENDING}),
          Map.entry("DeleteAlias", new String[] {OK, OK, OK}),
          Map.entry("ListAliases", new String[] {OK, OK, OK}),
          Map.entry("TagResource", new String[] {OK, OK, PENDING}),
          Map.entry("UntagResource", new String[] {OK, OK, PENDING}),
          Map.entry("ListResourceTags", new String[] {OK, OK, OK}),
          Map.entry("Encrypt", new String[] {OK, DISABLED, PENDING}),
          Map.entry("Decrypt", new String[] {OK, DISABLED, PENDING}),
          Map.entry("ReEncrypt", new String[] {OK, DISABLED, PENDING}),
          Map.entry("GenerateDataKey", new String[] {OK, DISABLED, PENDING}),
          Map.entry("GenerateDataKeyWithoutPlaintext", new String[] {OK, DISABLED, PENDING}),
          Map.entry("CreateGrant", new String[] {OK, DISABLED, PENDING}),
          Map.entry("ListGrants", new String[] {OK, OK, OK}),
          Map.entry("RevokeGrant", new String[] {OK, OK, OK}),
          Map.entry("RetireGrant", new String[] {OK, OK, OK}),
          // Rotation rows: Enable/DisableKeyRotation [1]/[3]; GetKeyRotationStatus in every state;
          // RotateKeyOnDemand and ListKeyRotations follow them (reference §1.4).
          Map.entry("EnableKeyRotation", new String[] {OK, DISABLED, PENDING}),
          Map.entry("DisableKeyRotation", new String[] {OK, DISABLED, PENDING}),
          Map.entry("GetKeyRotationStatus", new String[] {OK, OK, OK}),
          Map.entry("RotateKeyOnDemand", new String[] {OK, DISABLED, PENDING}),
          Map.entry("ListKeyRotations", new String[] {OK, OK, OK}),
          // AWS KMS API Reference, GetKeyLastUsage: its errors hold no KMSInvalidStateException,
          // so every state answers (the subject's Encrypt while enabled is its last use).
          Map.entry("GetKeyLastUsage", new String[] {OK, OK, OK}));

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    String[] states = {"Enabled", "Disabled", "PendingDeletion"};
    TABLE.forEach(
        (operation, outcomes) -> {
          for (int i = 0; i < states.length; i++) {
            cells.add(Arguments.of(operation, states[i], outcomes[i]));
          }
        });
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} on a {1} key → {2}")
  @MethodSource("cells")
  void operation_inKeyState_followsAwsTable(String operation, String state, String expected) {
    Subject subject = subjectIn(state);
    ValidatableResponse response = OPERATIONS.get(operation).apply(subject);
    if (expected.equals(OK)) {
      response.statusCode(200);
    } else {
      String[] codeAndMessage = String.format(expected, subject.arn()).split(": ", 2);
      response
          .statusCode(400)
          .body("__type", equalTo(codeAndMessage[0]))
          .body("message", equalTo(codeAndMessage[1]));
    }
  }

  static Subject subjectIn(String state) {
    String keyId = KMS.createKey();
    String alias = "alias/state-" + keyId;
    KMS.call("CreateAlias", Map.of("AliasName", alias, "TargetKeyId", keyId)).statusCode(200);
    String ciphertext =
        KMS.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", KmsApi.b64(new byte[] {42})))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");
    String grantId =
        KMS.call("CreateGrant", grantOn(keyId)).statusCode(200).extract().path("GrantId");
    switch (state) {
      case "Disabled" -> KMS.call("DisableKey", Map.of("KeyId", keyId)).statusCode(200);
      case "PendingDeletion" ->
          KMS.call("ScheduleKeyDeletion", Map.of("KeyId", keyId, "PendingWindowInDays", 7))
              .statusCode(200);
      default -> {}
    }
    KMS.call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyMetadata.KeyState", equalTo(state));
    return new Subject(keyId, KMS.arnOf(keyId), ciphertext, alias, grantId);
  }

  private static Map<String, Object> grantOn(Subject s) {
    return grantOn(s.keyId());
  }

  private static Map<String, Object> grantOn(String keyId) {
    return Map.of(
        "KeyId",
        keyId,
        "GranteePrincipal",
        "arn:aws:iam::" + KMS.accountId() + ":role/StateTable",
        "Operations",
        List.of("Encrypt"));
  }

  private static ValidatableResponse updateAliasToSubject(Subject s) {
    String other = KMS.createKey();
    String alias = "alias/update-" + s.keyId();
    KMS.call("CreateAlias", Map.of("AliasName", alias, "TargetKeyId", other)).statusCode(200);
    return KMS.call("UpdateAlias", Map.of("AliasName", alias, "TargetKeyId", s.keyId()));
  }

  private static ValidatableResponse reEncryptFromSubject(Subject s) {
    String destination = KMS.createKey();
    return KMS.call(
        "ReEncrypt", Map.of("CiphertextBlob", s.ciphertext(), "DestinationKeyId", destination));
  }
}
