package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static dev.keyhaven.tests.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CancelKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.InvalidMarkerException;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Key lifecycle through the AWS SDK: CreateKey → DescribeKey (every identifier form) → ListKeys
 * pagination → Disable/Enable → ScheduleKeyDeletion → CancelKeyDeletion, with the typed errors.
 */
class KeyLifecycleTest {
  private static KmsClient kms;

  @BeforeAll
  static void connect() {
    kms = KmsClients.client();
  }

  @AfterAll
  static void close() {
    kms.close();
  }

  private static String arnOf(String keyId) {
    return "arn:aws:kms:" + KmsClients.region() + ":" + KmsClients.accountId() + ":key/" + keyId;
  }

  @Test
  void createKey_withDescriptionAndTags_returnsEnabledSymmetricKeyMetadata() {
    Instant before = Instant.now().minusSeconds(60);
    KeyMetadata m =
        kms.createKey(
                b ->
                    b.description("e2e lifecycle key")
                        .tags(
                            Tag.builder().tagKey("team").tagValue("payments").build(),
                            Tag.builder().tagKey("env").tagValue("").build()))
            .keyMetadata();

    UUID.fromString(m.keyId());
    assertEquals(KmsClients.accountId(), m.awsAccountId());
    assertEquals(arnOf(m.keyId()), m.arn());
    assertEquals("e2e lifecycle key", m.description());
    assertTrue(m.enabled());
    assertEquals(KeyState.ENABLED, m.keyState());
    assertEquals(KeyUsageType.ENCRYPT_DECRYPT, m.keyUsage());
    assertEquals(KeySpec.SYMMETRIC_DEFAULT, m.keySpec());
    assertEquals(OriginType.AWS_KMS, m.origin());
    assertEquals(KeyManagerType.CUSTOMER, m.keyManager());
    assertEquals(List.of(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT), m.encryptionAlgorithms());
    assertFalse(Boolean.TRUE.equals(m.multiRegion()));
    assertNull(m.deletionDate());
    assertNotNull(m.creationDate());
    assertTrue(
        !m.creationDate().isBefore(before)
            && m.creationDate().isBefore(Instant.now().plusSeconds(60)),
        "CreationDate " + m.creationDate());

    Map<String, String> tags =
        kms.listResourceTags(b -> b.keyId(m.keyId())).tags().stream()
            .collect(Collectors.toMap(Tag::tagKey, Tag::tagValue));
    assertEquals(Map.of("team", "payments", "env", ""), tags);
  }

  @Test
  void createKey_withoutParameters_hasEmptyDescription() {
    KeyMetadata m = kms.createKey(b -> {}).keyMetadata();
    assertEquals("", m.description());
    assertEquals(KeyState.ENABLED, m.keyState());
  }

  @Test
  void createKey_descriptionOver8192Characters_isValidationException() {
    assertKmsError(
        "ValidationException", () -> kms.createKey(b -> b.description("d".repeat(8193))));
  }

  @Test
  void describeKey_byIdArnAliasNameAndAliasArn_returnsTheSameKey() {
    KeyMetadata created = Fixtures.newKey(kms, "e2e describe");
    String alias = Fixtures.uniqueAlias("describe");
    kms.createAlias(b -> b.aliasName(alias).targetKeyId(created.keyId()));
    String aliasArn =
        "arn:aws:kms:" + KmsClients.region() + ":" + KmsClients.accountId() + ":" + alias;

    for (String identifier : List.of(created.keyId(), created.arn(), alias, aliasArn)) {
      KeyMetadata m = kms.describeKey(b -> b.keyId(identifier)).keyMetadata();
      assertEquals(created.keyId(), m.keyId(), identifier);
      assertEquals(created.arn(), m.arn(), identifier);
      assertEquals("e2e describe", m.description(), identifier);
      assertEquals(created.creationDate(), m.creationDate(), identifier);
      assertEquals(KeyState.ENABLED, m.keyState(), identifier);
    }
  }

  @Test
  void describeKey_unknownKeyIdArnOrAlias_isNotFound() {
    String unknown = UUID.randomUUID().toString();
    assertKmsError(NotFoundException.class, () -> kms.describeKey(b -> b.keyId(unknown)));
    assertKmsError(NotFoundException.class, () -> kms.describeKey(b -> b.keyId(arnOf(unknown))));
    assertKmsError(
        NotFoundException.class,
        () -> kms.describeKey(b -> b.keyId(Fixtures.uniqueAlias("missing"))));
  }

  // Recorded against AWS (issue 26): a well-formed multi-Region key id that names no key answers
  // NotFoundException "Key '<key ARN>' does not exist", not "Invalid keyId".
  @Test
  void describeKey_unknownMultiRegionKeyId_isNotFoundNamingItsArn() {
    String mrk = "mrk-" + UUID.randomUUID().toString().replace("-", "");
    NotFoundException e =
        assertKmsError(NotFoundException.class, () -> kms.describeKey(b -> b.keyId(mrk)));
    assertEquals("Key '" + arnOf(mrk) + "' does not exist", e.awsErrorDetails().errorMessage());
  }

  @Test
  void updateKeyDescription_existingKey_isReturnedByDescribeKey() {
    KeyMetadata key = Fixtures.newKey(kms, "before");
    kms.updateKeyDescription(b -> b.keyId(key.arn()).description("after"));
    assertEquals("after", kms.describeKey(b -> b.keyId(key.keyId())).keyMetadata().description());
  }

  @Test
  void listKeys_withLimitOne_followsNextMarkerThroughEveryKey() {
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      created.add(Fixtures.newKey(kms, "e2e list " + i).keyId());
    }

    List<KeyListEntry> all = new ArrayList<>();
    String marker = null;
    int pages = 0;
    while (true) {
      String m = marker;
      ListKeysResponse page = kms.listKeys(b -> b.limit(1).marker(m));
      pages++;
      assertTrue(page.keys().size() <= 1, "page size " + page.keys().size());
      all.addAll(page.keys());
      if (!Boolean.TRUE.equals(page.truncated())) {
        assertNull(page.nextMarker(), "NextMarker on the last page");
        break;
      }
      assertEquals(1, page.keys().size(), "a truncated page with Limit 1 holds one key");
      assertNotNull(page.nextMarker(), "Truncated page without NextMarker");
      marker = page.nextMarker();
      assertTrue(pages < 100_000, "pagination does not end");
    }

    Set<String> ids = new HashSet<>();
    for (KeyListEntry e : all) {
      assertTrue(ids.add(e.keyId()), "key listed twice: " + e.keyId());
      assertEquals(arnOf(e.keyId()), e.keyArn());
    }
    assertTrue(ids.containsAll(created), "every created key is listed");
    assertTrue(pages >= 3, "three keys with Limit 1 need at least three pages");

    // The default page holds the same keys (up to 100 per page).
    ListKeysResponse first = kms.listKeys(b -> {});
    assertFalse(first.keys().isEmpty());
    assertTrue(first.keys().size() <= 100);
  }

  @Test
  void listKeys_limitZero_isValidationException() {
    assertKmsError("ValidationException", () -> kms.listKeys(b -> b.limit(0)));
  }

  @Test
  void listKeys_unknownMarker_isInvalidMarkerException() {
    assertKmsError(
        InvalidMarkerException.class, () -> kms.listKeys(b -> b.marker("bm90LWEtbWFya2Vy")));
  }

  @Test
  void disableKey_thenEnableKey_togglesStateAndUsability() {
    KeyMetadata key = Fixtures.newKey(kms, "e2e disable");
    SdkBytes ciphertext =
        kms.encrypt(b -> b.keyId(key.keyId()).plaintext(utf8("hello"))).ciphertextBlob();

    kms.disableKey(b -> b.keyId(key.keyId()));
    KeyMetadata disabled = kms.describeKey(b -> b.keyId(key.keyId())).keyMetadata();
    assertEquals(KeyState.DISABLED, disabled.keyState());
    assertFalse(disabled.enabled());
    assertKmsError(
        DisabledException.class,
        () -> kms.encrypt(b -> b.keyId(key.keyId()).plaintext(utf8("hello"))));
    assertKmsError(DisabledException.class, () -> kms.decrypt(b -> b.ciphertextBlob(ciphertext)));
    assertKmsError(
        DisabledException.class,
        () -> kms.generateDataKey(b -> b.keyId(key.keyId()).keySpec("AES_256")));
    // Disabling a disabled key is allowed.
    kms.disableKey(b -> b.keyId(key.arn()));

    kms.enableKey(b -> b.keyId(key.arn()));
    KeyMetadata enabled = kms.describeKey(b -> b.keyId(key.keyId())).keyMetadata();
    assertEquals(KeyState.ENABLED, enabled.keyState());
    assertTrue(enabled.enabled());
    assertEquals(
        "hello", kms.decrypt(b -> b.ciphertextBlob(ciphertext)).plaintext().asUtf8String());
  }

  @Test
  void disableKey_unknownKey_isNotFound() {
    assertKmsError(
        NotFoundException.class, () -> kms.disableKey(b -> b.keyId(UUID.randomUUID().toString())));
  }

  @Test
  void scheduleKeyDeletion_sevenDays_isPendingDeletionUntilCancelledToDisabled() {
    KeyMetadata key = Fixtures.newKey(kms, "e2e deletion");
    SdkBytes ciphertext =
        kms.encrypt(b -> b.keyId(key.keyId()).plaintext(utf8("secret"))).ciphertextBlob();
    Instant requested = Instant.now();

    ScheduleKeyDeletionResponse scheduled =
        kms.scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(7));
    assertEquals(key.arn(), scheduled.keyId());
    assertEquals(KeyState.PENDING_DELETION, scheduled.keyState());
    assertEquals(7, scheduled.pendingWindowInDays());
    Instant expected = requested.plus(Duration.ofDays(7));
    assertNotNull(scheduled.deletionDate());
    assertTrue(
        Duration.between(expected, scheduled.deletionDate()).abs().compareTo(Duration.ofDays(1))
            <= 0,
        "DeletionDate " + scheduled.deletionDate() + " is not about " + expected);

    KeyMetadata pending = kms.describeKey(b -> b.keyId(key.keyId())).keyMetadata();
    assertEquals(KeyState.PENDING_DELETION, pending.keyState());
    assertFalse(pending.enabled());
    assertEquals(scheduled.deletionDate(), pending.deletionDate());
    assertEquals(7, pending.pendingDeletionWindowInDays());

    assertKmsError(
        KmsInvalidStateException.class,
        () -> kms.encrypt(b -> b.keyId(key.keyId()).plaintext(utf8("x"))));
    assertKmsError(
        KmsInvalidStateException.class, () -> kms.decrypt(b -> b.ciphertextBlob(ciphertext)));
    assertKmsError(KmsInvalidStateException.class, () -> kms.enableKey(b -> b.keyId(key.keyId())));
    assertKmsError(KmsInvalidStateException.class, () -> kms.disableKey(b -> b.keyId(key.keyId())));
    assertKmsError(
        KmsInvalidStateException.class,
        () -> kms.scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(7)));

    CancelKeyDeletionResponse cancelled = kms.cancelKeyDeletion(b -> b.keyId(key.keyId()));
    assertEquals(key.arn(), cancelled.keyId());
    KeyMetadata after = kms.describeKey(b -> b.keyId(key.keyId())).keyMetadata();
    assertEquals(KeyState.DISABLED, after.keyState());
    assertFalse(after.enabled());
    assertNull(after.deletionDate());
    assertNull(after.pendingDeletionWindowInDays());
    assertKmsError(
        DisabledException.class, () -> kms.encrypt(b -> b.keyId(key.keyId()).plaintext(utf8("x"))));

    kms.enableKey(b -> b.keyId(key.keyId()));
    assertEquals(
        "secret", kms.decrypt(b -> b.ciphertextBlob(ciphertext)).plaintext().asUtf8String());
  }

  @Test
  void scheduleKeyDeletion_withoutWindow_defaultsToThirtyDays() {
    KeyMetadata key = Fixtures.newKey(kms, "e2e default window");
    Instant requested = Instant.now();
    ScheduleKeyDeletionResponse scheduled = kms.scheduleKeyDeletion(b -> b.keyId(key.arn()));
    assertEquals(30, scheduled.pendingWindowInDays());
    assertTrue(
        Duration.between(requested.plus(Duration.ofDays(30)), scheduled.deletionDate())
                .abs()
                .compareTo(Duration.ofDays(1))
            <= 0,
        "DeletionDate " + scheduled.deletionDate());
    kms.cancelKeyDeletion(b -> b.keyId(key.arn()));
  }

  @Test
  void scheduleKeyDeletion_disabledKey_isAllowed() {
    KeyMetadata key = Fixtures.newKey(kms, "e2e disabled deletion");
    kms.disableKey(b -> b.keyId(key.keyId()));
    assertEquals(
        KeyState.PENDING_DELETION,
        kms.scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(30)).keyState());
    kms.cancelKeyDeletion(b -> b.keyId(key.keyId()));
  }

  @Test
  void scheduleKeyDeletion_windowOutside7To30_isValidationException() {
    KeyMetadata key = Fixtures.newKey(kms, "e2e bad window");
    assertKmsError(
        "ValidationException",
        () -> kms.scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(6)));
    assertKmsError(
        "ValidationException",
        () -> kms.scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(31)));
    assertEquals(
        KeyState.ENABLED, kms.describeKey(b -> b.keyId(key.keyId())).keyMetadata().keyState());
  }

  @Test
  void cancelKeyDeletion_keyNotPendingDeletion_isKmsInvalidState() {
    KeyMetadata key = Fixtures.newKey(kms, "e2e cancel enabled");
    assertKmsError(
        KmsInvalidStateException.class, () -> kms.cancelKeyDeletion(b -> b.keyId(key.keyId())));
  }

  @Test
  void scheduleKeyDeletion_unknownKey_isNotFound() {
    assertKmsError(
        NotFoundException.class,
        () ->
            kms.scheduleKeyDeletion(
                b -> b.keyId(UUID.randomUUID().toString()).pendingWindowInDays(7)));
  }
}
