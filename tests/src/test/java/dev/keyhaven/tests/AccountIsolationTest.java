package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static dev.keyhaven.tests.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Account isolation until key policies land: a principal of another account can neither use nor see
 * the first account's keys. Its key ARN answers AccessDeniedException, its bare key id and alias
 * NotFoundException (they resolve in the caller's own account).
 */
class AccountIsolationTest {
  static final String OTHER_ACCOUNT = "222233334444";
  private static KmsClient owner;
  private static KmsClient other;
  private static KeyMetadata key;
  private static String alias;
  private static SdkBytes ciphertext;

  @BeforeAll
  static void setUp() {
    assertNotEquals(OTHER_ACCOUNT, KmsClients.accountId(), "the suite needs two distinct accounts");
    owner = KmsClients.client();
    other = KmsClients.client(KmsClients.mintToken("arn:aws:iam::" + OTHER_ACCOUNT + ":root"));
    key =
        owner
            .createKey(
                b ->
                    b.description("e2e isolation")
                        .tags(Tag.builder().tagKey("owner").tagValue("first").build()))
            .keyMetadata();
    alias = Fixtures.uniqueAlias("isolation");
    owner.createAlias(b -> b.aliasName(alias).targetKeyId(key.keyId()));
    ciphertext =
        owner.encrypt(b -> b.keyId(key.keyId()).plaintext(utf8("first account"))).ciphertextBlob();
  }

  @AfterAll
  static void close() {
    owner.close();
    other.close();
  }

  private static String aliasArn() {
    return "arn:aws:kms:" + KmsClients.region() + ":" + KmsClients.accountId() + ":" + alias;
  }

  private static void accessDenied(Executable call) {
    assertKmsError("AccessDeniedException", call);
  }

  @Test
  void otherAccount_ownKeys_work() {
    KeyMetadata own = other.createKey(b -> b.description("e2e second account")).keyMetadata();
    assertEquals(OTHER_ACCOUNT, own.awsAccountId());
    assertTrue(own.arn().contains(":" + OTHER_ACCOUNT + ":key/"), own.arn());
    SdkBytes ct = other.encrypt(b -> b.keyId(own.keyId()).plaintext(utf8("mine"))).ciphertextBlob();
    assertEquals("mine", other.decrypt(b -> b.ciphertextBlob(ct)).plaintext().asUtf8String());
  }

  @Test
  void otherAccount_describeByKeyArn_isAccessDenied() {
    accessDenied(() -> other.describeKey(b -> b.keyId(key.arn())));
  }

  @Test
  void otherAccount_describeByBareKeyIdOrAlias_isNotFound() {
    assertKmsError(NotFoundException.class, () -> other.describeKey(b -> b.keyId(key.keyId())));
    assertKmsError(NotFoundException.class, () -> other.describeKey(b -> b.keyId(alias)));
  }

  @Test
  void otherAccount_describeByAliasArn_isDenied() {
    // An alias ARN of another account: access is denied before the alias resolves, so the
    // answer does not reveal whether the alias exists.
    Fixtures.assertKmsError(
        "AccessDeniedException", () -> other.describeKey(b -> b.keyId(aliasArn())));
  }

  @Test
  void otherAccount_encryptWithKeyArn_isAccessDenied() {
    accessDenied(() -> other.encrypt(b -> b.keyId(key.arn()).plaintext(utf8("x"))));
    accessDenied(() -> other.generateDataKey(b -> b.keyId(key.arn()).keySpec(DataKeySpec.AES_256)));
    accessDenied(
        () ->
            other.generateDataKeyWithoutPlaintext(
                b -> b.keyId(key.arn()).keySpec(DataKeySpec.AES_256)));
  }

  @Test
  void otherAccount_encryptWithBareKeyId_isNotFound() {
    assertKmsError(
        NotFoundException.class,
        () -> other.encrypt(b -> b.keyId(key.keyId()).plaintext(utf8("x"))));
  }

  @Test
  void otherAccount_decryptFirstAccountsCiphertextNamingItsKeyArn_isAccessDenied() {
    accessDenied(() -> other.decrypt(b -> b.ciphertextBlob(ciphertext).keyId(key.arn())));
  }

  @Test
  void otherAccount_decryptFirstAccountsCiphertext_isAccessDenied() {
    // AWS: AccessDeniedException "The ciphertext refers to a customer master key that does not
    // exist, does not exist in this region, or you are not allowed to access."
    accessDenied(() -> other.decrypt(b -> b.ciphertextBlob(ciphertext)));
  }

  @Test
  void otherAccount_reEncryptFirstAccountsCiphertext_isAccessDenied() {
    KeyMetadata own =
        other.createKey(b -> b.description("e2e second account re-encrypt")).keyMetadata();
    accessDenied(
        () -> other.reEncrypt(b -> b.ciphertextBlob(ciphertext).destinationKeyId(own.keyId())));
  }

  @Test
  void otherAccount_manageKeyByArn_isAccessDeniedAndKeyUnchanged() {
    accessDenied(() -> other.disableKey(b -> b.keyId(key.arn())));
    accessDenied(() -> other.scheduleKeyDeletion(b -> b.keyId(key.arn()).pendingWindowInDays(7)));
    accessDenied(() -> other.updateKeyDescription(b -> b.keyId(key.arn()).description("hijacked")));
    accessDenied(
        () ->
            other.tagResource(
                b -> b.keyId(key.arn()).tags(Tag.builder().tagKey("x").tagValue("y").build())));
    accessDenied(() -> other.listResourceTags(b -> b.keyId(key.arn())));

    KeyMetadata after = owner.describeKey(b -> b.keyId(key.keyId())).keyMetadata();
    assertEquals(KeyState.ENABLED, after.keyState());
    assertEquals("e2e isolation", after.description());
    assertEquals(
        Map.of("owner", "first"),
        owner.listResourceTags(b -> b.keyId(key.keyId())).tags().stream()
            .collect(Collectors.toMap(Tag::tagKey, Tag::tagValue)));
  }

  @Test
  void otherAccount_aliasOnFirstAccountsKey_isRefused() {
    Fixtures.assertKmsError(
        "AccessDeniedException",
        () ->
            other.createAlias(
                b -> b.aliasName(Fixtures.uniqueAlias("steal")).targetKeyId(key.arn())));
    assertEquals(1, owner.listAliases(b -> b.keyId(key.keyId())).aliases().size());
  }

  @Test
  void otherAccount_listKeysAndAliases_showNothingOfTheFirstAccount() {
    String marker = null;
    for (int pages = 0; ; pages++) {
      assertTrue(pages < 100_000);
      String m = marker;
      ListKeysResponse page = other.listKeys(b -> b.limit(100).marker(m));
      for (KeyListEntry e : page.keys()) {
        assertNotEquals(key.keyId(), e.keyId());
        assertTrue(e.keyArn().contains(":" + OTHER_ACCOUNT + ":key/"), e.keyArn());
      }
      if (!Boolean.TRUE.equals(page.truncated())) {
        break;
      }
      marker = page.nextMarker();
    }

    marker = null;
    for (int pages = 0; ; pages++) {
      assertTrue(pages < 100_000);
      String m = marker;
      ListAliasesResponse page = other.listAliases(b -> b.limit(100).marker(m));
      for (AliasListEntry a : page.aliases()) {
        assertFalse(a.aliasName().equals(alias), "first account's alias listed");
        assertFalse(a.aliasArn().contains(":" + KmsClients.accountId() + ":"), a.aliasArn());
      }
      if (!Boolean.TRUE.equals(page.truncated())) {
        break;
      }
      marker = page.nextMarker();
    }
  }

  @Test
  void otherAccount_sameAliasName_isIndependent() {
    // A name of its own: the other tests rely on `alias` existing in the first account only.
    String shared = Fixtures.uniqueAlias("shared-name");
    KeyMetadata mine = owner.createKey(b -> b.description("e2e first account alias")).keyMetadata();
    KeyMetadata theirs =
        other.createKey(b -> b.description("e2e second account alias")).keyMetadata();
    owner.createAlias(b -> b.aliasName(shared).targetKeyId(mine.keyId()));
    other.createAlias(b -> b.aliasName(shared).targetKeyId(theirs.keyId()));
    assertEquals(theirs.keyId(), other.describeKey(b -> b.keyId(shared)).keyMetadata().keyId());
    assertEquals(mine.keyId(), owner.describeKey(b -> b.keyId(shared)).keyMetadata().keyId());
    other.deleteAlias(b -> b.aliasName(shared));
    assertEquals(mine.keyId(), owner.describeKey(b -> b.keyId(shared)).keyMetadata().keyId());
  }
}
