package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static dev.keyhaven.tests.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GetKeyLastUsageResponse;
import software.amazon.awssdk.services.kms.model.KeyLastUsageData;
import software.amazon.awssdk.services.kms.model.KeyLastUsageTrackingOperation;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * GetKeyLastUsage through the unmodified AWS SDK for Java v2 (its {@code getKeyLastUsage}, in the
 * SDK since 2026): the last successful cryptographic operation with the request id the SDK saw,
 * TrackingStartDate and KeyCreationDate, ReEncrypt on both keys, aliases refused (AWS KMS API
 * Reference, GetKeyLastUsage, KeyLastUsageData).
 */
class KeyLastUsageTest {
  private static KmsClient kms;

  @BeforeAll
  static void connect() {
    kms = KmsClients.client();
  }

  @AfterAll
  static void close() {
    kms.close();
  }

  @Test
  void getKeyLastUsage_newKey_noUseAndTrackingFromItsCreation() {
    KeyMetadata key = Fixtures.newKey(kms, "last-usage-new");
    GetKeyLastUsageResponse usage = kms.getKeyLastUsage(b -> b.keyId(key.keyId()));
    assertEquals(key.keyId(), usage.keyId());
    assertEquals(key.creationDate(), usage.keyCreationDate());
    // Created after the server began tracking: tracking starts at the key's creation.
    assertEquals(key.creationDate(), usage.trackingStartDate());
    KeyLastUsageData last = usage.keyLastUsage();
    assertTrue(last == null || last.operation() == null, () -> "no use yet: " + last);
  }

  @Test
  void getKeyLastUsage_afterEncryptAndDecrypt_namesTheDecryptTheSdkSaw() {
    KeyMetadata key = Fixtures.newKey(kms, "last-usage-crypto");
    Instant before = Instant.now().minusSeconds(2);
    EncryptResponse encrypted = kms.encrypt(b -> b.keyId(key.keyId()).plaintext(utf8("used")));
    KeyLastUsageData afterEncrypt = kms.getKeyLastUsage(b -> b.keyId(key.arn())).keyLastUsage();
    assertEquals(KeyLastUsageTrackingOperation.ENCRYPT, afterEncrypt.operation());
    assertEquals(encrypted.responseMetadata().requestId(), afterEncrypt.kmsRequestId());

    DecryptResponse decrypted = kms.decrypt(b -> b.ciphertextBlob(encrypted.ciphertextBlob()));
    KeyLastUsageData last = kms.getKeyLastUsage(b -> b.keyId(key.keyId())).keyLastUsage();
    assertEquals(KeyLastUsageTrackingOperation.DECRYPT, last.operation());
    assertEquals(decrypted.responseMetadata().requestId(), last.kmsRequestId());
    assertNotNull(last.cloudTrailEventId());
    assertTrue(
        !last.timestamp().isBefore(before)
            && !last.timestamp().isAfter(Instant.now().plusSeconds(2)),
        () -> "timestamp " + last.timestamp());
  }

  // API Reference, GetKeyLastUsage: "Usage information is recorded for both keys independently".
  @Test
  void getKeyLastUsage_reEncrypt_isTheLastUseOfBothKeys() {
    KeyMetadata source = Fixtures.newKey(kms, "last-usage-source");
    KeyMetadata destination = Fixtures.newKey(kms, "last-usage-destination");
    SdkBytes blob =
        kms.encrypt(b -> b.keyId(source.keyId()).plaintext(utf8("moved"))).ciphertextBlob();
    ReEncryptResponse moved =
        kms.reEncrypt(b -> b.ciphertextBlob(blob).destinationKeyId(destination.keyId()));
    for (KeyMetadata key : new KeyMetadata[] {source, destination}) {
      KeyLastUsageData last = kms.getKeyLastUsage(b -> b.keyId(key.keyId())).keyLastUsage();
      assertEquals(KeyLastUsageTrackingOperation.RE_ENCRYPT, last.operation(), key.description());
      assertEquals(moved.responseMetadata().requestId(), last.kmsRequestId(), key.description());
    }
  }

  @Test
  void getKeyLastUsage_signingKey_signIsAUseGetPublicKeyIsNot() {
    String keyId =
        kms.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY))
            .keyMetadata()
            .keyId();
    kms.getPublicKey(b -> b.keyId(keyId));
    KeyLastUsageData none = kms.getKeyLastUsage(b -> b.keyId(keyId)).keyLastUsage();
    assertTrue(none == null || none.operation() == null, () -> "GetPublicKey is no use: " + none);
    kms.sign(
        b ->
            b.keyId(keyId)
                .message(utf8("signed"))
                .messageType(MessageType.RAW)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256));
    assertEquals(
        KeyLastUsageTrackingOperation.SIGN,
        kms.getKeyLastUsage(b -> b.keyId(keyId)).keyLastUsage().operation());
  }

  // KeyId: "key ID or key ARN … Alias names are not supported."
  @Test
  void getKeyLastUsage_aliasName_notFound() {
    KeyMetadata key = Fixtures.newKey(kms, "last-usage-alias");
    String alias = Fixtures.uniqueAlias("last-usage");
    kms.createAlias(b -> b.aliasName(alias).targetKeyId(key.keyId()));
    NotFoundException e =
        assertKmsError(NotFoundException.class, () -> kms.getKeyLastUsage(b -> b.keyId(alias)));
    assertEquals("Invalid keyId '" + alias + "'", e.awsErrorDetails().errorMessage());
    assertNull(kms.getKeyLastUsage(b -> b.keyId(key.keyId())).keyLastUsage().operation());
  }
}
