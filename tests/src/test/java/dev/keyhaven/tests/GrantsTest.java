package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateGrantResponse;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * Grants through the unmodified AWS SDK with SigV4 access keys (AWS KMS API Reference, CreateGrant
 * / ListGrants / RevokeGrant): a second principal is denied, allowed by a grant with an
 * encryption-context constraint, and denied again right after RevokeGrant.
 */
class GrantsTest {
  private static KmsClient root;

  @BeforeAll
  static void connect() {
    root = KmsClients.rootSigV4Client();
  }

  @AfterAll
  static void close() {
    root.close();
  }

  @Test
  void secondPrincipal_deniedThenAllowedByConstrainedGrant_deniedAfterRevoke() {
    String role =
        "arn:aws:iam::" + KmsClients.accountId() + ":role/E2eGrantee-" + UUID.randomUUID();
    String[] accessKey = KmsClients.createAccessKey(role);
    KeyMetadata key = root.createKey(b -> b.description("e2e grants")).keyMetadata();
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

      CreateGrantResponse grant =
          root.createGrant(
              b ->
                  b.keyId(key.keyId())
                      .granteePrincipal(role)
                      .operations(GrantOperation.ENCRYPT, GrantOperation.DECRYPT)
                      .constraints(c -> c.encryptionContextSubset(Map.of("TENANT", "acme")))
                      .name("e2e"));
      assertTrue(grant.grantId().matches("[0-9a-f]{64}"));

      SdkBytes blob =
          app.encrypt(
                  b ->
                      b.keyId(key.arn())
                          .plaintext(SdkBytes.fromUtf8String("for acme"))
                          .encryptionContext(context)
                          .grantTokens(grant.grantToken()))
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

      GrantListEntry listed = root.listGrants(b -> b.keyId(key.keyId())).grants().get(0);
      assertEquals(grant.grantId(), listed.grantId());
      assertEquals(role, listed.granteePrincipal());
      assertEquals(key.arn(), listed.keyId());
      assertEquals(Map.of("TENANT", "acme"), listed.constraints().encryptionContextSubset());
      assertFalse(root.listGrants(b -> b.keyId(key.keyId())).truncated());

      root.revokeGrant(b -> b.keyId(key.keyId()).grantId(grant.grantId()));
      assertKmsError(
          "AccessDeniedException",
          () -> app.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(context)));
      assertTrue(root.listGrants(b -> b.keyId(key.keyId())).grants().isEmpty());
    }
  }
}
