package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * SigV4 with Keyhaven access keys through the unmodified AWS SDK ({@code
 * StaticCredentialsProvider}), and key policies deciding what a second principal may do: denied,
 * then allowed by a policy change with an encryption-context condition.
 */
class SigV4AndPoliciesTest {
  private static KmsClient root;

  @BeforeAll
  static void connect() {
    root = KmsClients.rootSigV4Client();
  }

  @AfterAll
  static void close() {
    root.close();
  }

  private static String policy(String extraStatement) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + KmsClients.accountId()
        + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}"
        + (extraStatement == null ? "" : "," + extraStatement)
        + "]}";
  }

  @Test
  void rootAccessKeyFromDevEnv_signsEveryOperation() {
    KeyMetadata key = root.createKey(b -> b.description("e2e sigv4")).keyMetadata();
    SdkBytes blob =
        root.encrypt(b -> b.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("signed")))
            .ciphertextBlob();
    assertEquals("signed", root.decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String());
    assertEquals("default", root.listKeyPolicies(b -> b.keyId(key.keyId())).policyNames().get(0));
  }

  @Test
  void wrongSecret_invalidSignatureException() {
    try (KmsClient forged =
        KmsClients.sigV4Client(System.getenv("AWS_ACCESS_KEY_ID"), "x".repeat(40))) {
      assertKmsError("InvalidSignatureException", () -> forged.listKeys());
    }
  }

  @Test
  void secondPrincipal_deniedThenAllowedByKeyPolicyWithContextCondition() {
    String role = "arn:aws:iam::" + KmsClients.accountId() + ":role/E2eApp-" + UUID.randomUUID();
    String[] accessKey = KmsClients.createAccessKey(role);
    KeyMetadata key = root.createKey(b -> b.description("e2e policy change")).keyMetadata();
    Map<String, String> context = Map.of("tenant", "acme");
    try (KmsClient app = KmsClients.sigV4Client(accessKey[0], accessKey[1])) {
      assertKmsError(
          "AccessDeniedException",
          () ->
              app.encrypt(
                  b ->
                      b.keyId(key.arn())
                          .plaintext(SdkBytes.fromUtf8String("x"))
                          .encryptionContext(context)));

      root.putKeyPolicy(
          b ->
              b.keyId(key.keyId())
                  .policyName("default")
                  .policy(
                      policy(
                          "{\"Sid\":\"App\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                              + role
                              + "\"},"
                              + "\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\"],\"Resource\":\"*\","
                              + "\"Condition\":{\"StringEquals\":{\"kms:EncryptionContext:tenant\":\"acme\"}}}")));

      SdkBytes blob =
          app.encrypt(
                  b ->
                      b.keyId(key.arn())
                          .plaintext(SdkBytes.fromString("for acme", StandardCharsets.UTF_8))
                          .encryptionContext(context))
              .ciphertextBlob();
      assertEquals(
          "for acme",
          app.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(context))
              .plaintext()
              .asUtf8String());
      assertKmsError(
          "AccessDeniedException",
          () ->
              app.encrypt(
                  b ->
                      b.keyId(key.arn())
                          .plaintext(SdkBytes.fromUtf8String("x"))
                          .encryptionContext(Map.of("tenant", "other"))));
      assertKmsError("AccessDeniedException", () -> app.describeKey(b -> b.keyId(key.arn())));

      root.putKeyPolicy(b -> b.keyId(key.keyId()).policyName("default").policy(policy(null)));
      assertKmsError(
          "AccessDeniedException",
          () -> app.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(context)));
    }
  }
}
