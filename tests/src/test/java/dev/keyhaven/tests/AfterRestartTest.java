package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static dev.keyhaven.tests.RestartState.require;
import static dev.keyhaven.tests.RestartState.unb64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Phase two of restart survival, run alone ({@code -Dtest='AfterRestart*'}) in a new JVM after the
 * launcher restarted the server on the same data directory. Reads what {@link BeforeRestartTest}
 * recorded and checks that keys, metadata, alias and ciphertexts survived. Without the state file
 * every test fails: this phase never skips.
 */
class AfterRestartTest {
  private static Properties state;
  private static KmsClient kms;

  @BeforeAll
  static void setUp() {
    kms = KmsClients.client();
  }

  @AfterAll
  static void close() {
    kms.close();
  }

  private static Properties state() {
    if (state == null) {
      state = RestartState.read(KmsClients.stateFile());
    }
    return state;
  }

  private static String keyId() {
    return require(state(), RestartState.KEY_ID);
  }

  @Test
  void stateFile_fromBeforeRestartPhase_isComplete() {
    for (String name :
        List.of(
            RestartState.KEY_ID,
            RestartState.KEY_ARN,
            RestartState.KEY_DESCRIPTION,
            RestartState.KEY_CREATION_DATE,
            RestartState.ALIAS,
            RestartState.CIPHERTEXT,
            RestartState.DATA_KEY_CIPHERTEXT,
            RestartState.ESDK_MESSAGE,
            RestartState.DISABLED_KEY_ID,
            RestartState.PENDING_KEY_ID,
            RestartState.ROTATED_KEY_ID,
            RestartState.SIGNING_KEY_ID,
            RestartState.HMAC_KEY_ID,
            RestartState.IMPORTED_KEY_ID)) {
      assertFalse(require(state(), name).isBlank(), name);
    }
  }

  @Test
  void key_afterRestart_hasTheSameMetadata() {
    KeyMetadata m = kms.describeKey(b -> b.keyId(keyId())).keyMetadata();
    assertEquals(require(state(), RestartState.KEY_ARN), m.arn());
    assertEquals(require(state(), RestartState.KEY_DESCRIPTION), m.description());
    assertEquals(Instant.parse(require(state(), RestartState.KEY_CREATION_DATE)), m.creationDate());
    assertEquals(KeyState.ENABLED, m.keyState());
    assertTrue(m.enabled());
    assertEquals(KmsClients.accountId(), m.awsAccountId());
  }

  @Test
  void key_afterRestart_isStillListed() {
    boolean found = false;
    String marker = null;
    for (int pages = 0; !found; pages++) {
      assertTrue(pages < 100_000, "pagination does not end");
      String m = marker;
      var page = kms.listKeys(b -> b.limit(100).marker(m));
      found = page.keys().stream().anyMatch(k -> k.keyId().equals(keyId()));
      if (!Boolean.TRUE.equals(page.truncated())) {
        break;
      }
      marker = page.nextMarker();
    }
    assertTrue(found, "ListKeys lists the key created before the restart");
  }

  @Test
  void tags_afterRestart_areUnchanged() {
    Map<String, String> expected = new HashMap<>();
    state().stringPropertyNames().stream()
        .filter(n -> n.startsWith(RestartState.KEY_TAG_PREFIX))
        .forEach(
            n ->
                expected.put(
                    n.substring(RestartState.KEY_TAG_PREFIX.length()), state().getProperty(n)));
    assertFalse(expected.isEmpty());
    Map<String, String> actual =
        kms.listResourceTags(b -> b.keyId(keyId())).tags().stream()
            .collect(Collectors.toMap(Tag::tagKey, Tag::tagValue));
    assertEquals(expected, actual);
  }

  @Test
  void alias_afterRestart_stillNamesTheKey() {
    String alias = require(state(), RestartState.ALIAS);
    assertEquals(keyId(), kms.describeKey(b -> b.keyId(alias)).keyMetadata().keyId());
    List<AliasListEntry> aliases = kms.listAliases(b -> b.keyId(keyId())).aliases();
    assertEquals(1, aliases.size());
    assertEquals(alias, aliases.get(0).aliasName());
    assertEquals(
        Instant.parse(require(state(), RestartState.ALIAS_CREATION_DATE)),
        aliases.get(0).creationDate());
  }

  @Test
  void ciphertext_afterRestart_decryptsToTheKnownPlaintext() {
    SdkBytes ct = SdkBytes.fromByteArray(unb64(require(state(), RestartState.CIPHERTEXT)));
    DecryptResponse r =
        kms.decrypt(b -> b.ciphertextBlob(ct).encryptionContext(RestartState.CONTEXT));
    assertEquals(require(state(), RestartState.PLAINTEXT), r.plaintext().asUtf8String());
    assertEquals(require(state(), RestartState.KEY_ARN), r.keyId());
    // The encryption context binding survived too.
    assertKmsError("InvalidCiphertextException", () -> kms.decrypt(b -> b.ciphertextBlob(ct)));
  }

  @Test
  void dataKey_afterRestart_decryptsToTheSameKey() {
    SdkBytes ct = SdkBytes.fromByteArray(unb64(require(state(), RestartState.DATA_KEY_CIPHERTEXT)));
    byte[] plaintext =
        kms.decrypt(b -> b.ciphertextBlob(ct).encryptionContext(RestartState.CONTEXT))
            .plaintext()
            .asByteArray();
    assertArrayEquals(unb64(require(state(), RestartState.DATA_KEY_PLAINTEXT)), plaintext);
  }

  @Test
  void encryptionSdkMessage_afterRestart_decrypts() {
    AwsCrypto crypto =
        AwsCrypto.builder()
            .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
            .build();
    var keyring = EncryptionSdkTest.keyring(kms, require(state(), RestartState.KEY_ARN));
    var result =
        crypto.decryptData(
            keyring, unb64(require(state(), RestartState.ESDK_MESSAGE)), RestartState.CONTEXT);
    assertArrayEquals(unb64(require(state(), RestartState.ESDK_PLAINTEXT)), result.getResult());
  }

  @Test
  void key_afterRestart_stillEncrypts() {
    SdkBytes ct =
        kms.encrypt(b -> b.keyId(keyId()).plaintext(Fixtures.utf8("after restart")))
            .ciphertextBlob();
    assertEquals(
        "after restart", kms.decrypt(b -> b.ciphertextBlob(ct)).plaintext().asUtf8String());
  }

  @Test
  void disabledKey_afterRestart_isStillDisabled() {
    String id = require(state(), RestartState.DISABLED_KEY_ID);
    assertEquals(KeyState.DISABLED, kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState());
    assertKmsError(
        DisabledException.class, () -> kms.encrypt(b -> b.keyId(id).plaintext(Fixtures.utf8("x"))));
  }

  @Test
  void pendingDeletionKey_afterRestart_keepsItsDeletionDate() {
    String id = require(state(), RestartState.PENDING_KEY_ID);
    KeyMetadata m = kms.describeKey(b -> b.keyId(id)).keyMetadata();
    assertEquals(KeyState.PENDING_DELETION, m.keyState());
    assertEquals(
        Instant.parse(require(state(), RestartState.PENDING_DELETION_DATE)), m.deletionDate());
    assertEquals(9, m.pendingDeletionWindowInDays());
  }

  @Test
  void signingHmacAndImportedKeys_afterRestart_useTheSameMaterial() {
    SdkBytes message = SdkBytes.fromUtf8String(RestartState.MESSAGE);
    String signing = require(state(), RestartState.SIGNING_KEY_ID);
    assertEquals(
        require(state(), RestartState.SIGNING_PUBLIC_KEY),
        RestartState.b64(kms.getPublicKey(b -> b.keyId(signing)).publicKey().asByteArray()));
    SdkBytes signature =
        SdkBytes.fromByteArray(unb64(require(state(), RestartState.SIGNING_SIGNATURE)));
    assertTrue(
        kms.verify(
                b ->
                    b.keyId(signing)
                        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                        .message(message)
                        .signature(signature))
            .signatureValid());
    kms.sign(
        b ->
            b.keyId(signing).signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256).message(message));
    String hmac = require(state(), RestartState.HMAC_KEY_ID);
    assertEquals(
        require(state(), RestartState.HMAC_MAC),
        RestartState.b64(
            kms.generateMac(
                    b -> b.keyId(hmac).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256).message(message))
                .mac()
                .asByteArray()));
    SdkBytes ciphertext =
        SdkBytes.fromByteArray(unb64(require(state(), RestartState.IMPORTED_CIPHERTEXT)));
    assertEquals(
        RestartState.MESSAGE,
        kms.decrypt(b -> b.ciphertextBlob(ciphertext)).plaintext().asUtf8String());
  }

  @Test
  void rotatedKey_afterRestart_keepsEveryVersionAndItsSchedule() {
    String id = require(state(), RestartState.ROTATED_KEY_ID);
    String[] ciphertexts = require(state(), RestartState.ROTATED_CIPHERTEXTS).split(",");
    for (int i = 0; i < ciphertexts.length; i++) {
      SdkBytes ct = SdkBytes.fromByteArray(unb64(ciphertexts[i]));
      assertEquals(
          "v" + (i + 1), kms.decrypt(b -> b.ciphertextBlob(ct)).plaintext().asUtf8String());
    }
    assertEquals(
        require(state(), RestartState.ROTATED_MATERIAL_IDS),
        kms
            .listKeyRotations(
                b -> b.keyId(id).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))
            .rotations()
            .stream()
            .map(RotationsListEntry::keyMaterialId)
            .collect(Collectors.joining(",")));
    GetKeyRotationStatusResponse status = kms.getKeyRotationStatus(b -> b.keyId(id));
    assertTrue(status.keyRotationEnabled());
    assertEquals(180, status.rotationPeriodInDays());
    assertEquals(
        Instant.parse(require(state(), RestartState.ROTATED_NEXT_ROTATION_DATE)),
        status.nextRotationDate());
  }
}
