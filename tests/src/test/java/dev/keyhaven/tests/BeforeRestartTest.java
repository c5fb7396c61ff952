package dev.keyhaven.tests;

import static dev.keyhaven.tests.RestartState.b64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlgorithmSpec;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Phase one of restart survival (runs with the main suite): creates keys in several states, an
 * alias and ciphertexts, and records them in {@code KMS_E2E_STATE} for {@link AfterRestartTest},
 * which the launcher runs in a second JVM after restarting the server on the same data directory.
 */
class BeforeRestartTest {

  @Test
  void keysAliasAndCiphertexts_beforeRestart_areRecordedForTheAfterRestartPhase() throws Exception {
    Path file = KmsClients.stateFile();
    Files.deleteIfExists(file);
    Properties state = new Properties();
    String run = UUID.randomUUID().toString();

    try (KmsClient kms = KmsClients.client()) {
      KeyMetadata key =
          kms.createKey(
                  b ->
                      b.description("e2e restart " + run)
                          .tags(
                              Tag.builder().tagKey("survives").tagValue("restart").build(),
                              Tag.builder().tagKey("run").tagValue(run).build()))
              .keyMetadata();
      state.setProperty(RestartState.KEY_ID, key.keyId());
      state.setProperty(RestartState.KEY_ARN, key.arn());
      state.setProperty(RestartState.KEY_DESCRIPTION, key.description());
      state.setProperty(RestartState.KEY_CREATION_DATE, key.creationDate().toString());
      state.setProperty(RestartState.KEY_TAG_PREFIX + "survives", "restart");
      state.setProperty(RestartState.KEY_TAG_PREFIX + "run", run);

      String alias = Fixtures.uniqueAlias("restart");
      kms.createAlias(b -> b.aliasName(alias).targetKeyId(key.keyId()));
      state.setProperty(RestartState.ALIAS, alias);
      state.setProperty(
          RestartState.ALIAS_CREATION_DATE,
          kms.listAliases(b -> b.keyId(key.keyId())).aliases().get(0).creationDate().toString());

      String plaintext = "known plaintext " + run;
      SdkBytes ciphertext =
          kms.encrypt(
                  b ->
                      b.keyId(alias)
                          .plaintext(SdkBytes.fromString(plaintext, StandardCharsets.UTF_8))
                          .encryptionContext(RestartState.CONTEXT))
              .ciphertextBlob();
      state.setProperty(RestartState.PLAINTEXT, plaintext);
      state.setProperty(RestartState.CIPHERTEXT, b64(ciphertext.asByteArray()));

      GenerateDataKeyResponse dataKey =
          kms.generateDataKey(
              b ->
                  b.keyId(key.arn())
                      .keySpec(DataKeySpec.AES_256)
                      .encryptionContext(RestartState.CONTEXT));
      state.setProperty(RestartState.DATA_KEY_PLAINTEXT, b64(dataKey.plaintext().asByteArray()));
      state.setProperty(
          RestartState.DATA_KEY_CIPHERTEXT, b64(dataKey.ciphertextBlob().asByteArray()));

      byte[] esdkPlaintext = ("envelope-encrypted " + run).getBytes(StandardCharsets.UTF_8);
      AwsCrypto crypto =
          AwsCrypto.builder()
              .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
              .build();
      var keyring = EncryptionSdkTest.keyring(kms, key.arn());
      byte[] message = crypto.encryptData(keyring, esdkPlaintext, RestartState.CONTEXT).getResult();
      assertArrayEquals(esdkPlaintext, crypto.decryptData(keyring, message).getResult());
      state.setProperty(RestartState.ESDK_PLAINTEXT, b64(esdkPlaintext));
      state.setProperty(RestartState.ESDK_MESSAGE, b64(message));

      KeyMetadata disabled = Fixtures.newKey(kms, "e2e restart disabled " + run);
      kms.disableKey(b -> b.keyId(disabled.keyId()));
      state.setProperty(RestartState.DISABLED_KEY_ID, disabled.keyId());

      KeyMetadata pending = Fixtures.newKey(kms, "e2e restart pending " + run);
      ScheduleKeyDeletionResponse scheduled =
          kms.scheduleKeyDeletion(b -> b.keyId(pending.keyId()).pendingWindowInDays(9));
      assertEquals(KeyState.PENDING_DELETION, scheduled.keyState());
      state.setProperty(RestartState.PENDING_KEY_ID, pending.keyId());
      state.setProperty(RestartState.PENDING_DELETION_DATE, scheduled.deletionDate().toString());

      // A rotated key: two material versions, a ciphertext under each, automatic rotation on.
      String rotated = Fixtures.newKey(kms, "e2e restart rotated " + run).keyId();
      SdkBytes underV1 =
          kms.encrypt(b -> b.keyId(rotated).plaintext(Fixtures.utf8("v1"))).ciphertextBlob();
      kms.rotateKeyOnDemand(b -> b.keyId(rotated));
      SdkBytes underV2 =
          kms.encrypt(b -> b.keyId(rotated).plaintext(Fixtures.utf8("v2"))).ciphertextBlob();
      kms.enableKeyRotation(b -> b.keyId(rotated).rotationPeriodInDays(180));
      state.setProperty(RestartState.ROTATED_KEY_ID, rotated);
      state.setProperty(
          RestartState.ROTATED_CIPHERTEXTS,
          b64(underV1.asByteArray()) + "," + b64(underV2.asByteArray()));
      state.setProperty(
          RestartState.ROTATED_MATERIAL_IDS,
          kms
              .listKeyRotations(
                  b -> b.keyId(rotated).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))
              .rotations()
              .stream()
              .map(RotationsListEntry::keyMaterialId)
              .collect(Collectors.joining(",")));
      state.setProperty(
          RestartState.ROTATED_NEXT_ROTATION_DATE,
          kms.getKeyRotationStatus(b -> b.keyId(rotated)).nextRotationDate().toString());

      // Asymmetric, HMAC and imported keys: their material (a private key, an HMAC key, material
      // the suite brought) must come back from the wrapped rows after the restart.
      SdkBytes survivor = Fixtures.utf8(RestartState.MESSAGE);
      String signing =
          kms.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY))
              .keyMetadata()
              .keyId();
      state.setProperty(RestartState.SIGNING_KEY_ID, signing);
      state.setProperty(
          RestartState.SIGNING_PUBLIC_KEY,
          b64(kms.getPublicKey(b -> b.keyId(signing)).publicKey().asByteArray()));
      state.setProperty(
          RestartState.SIGNING_SIGNATURE,
          b64(
              kms.sign(
                      b ->
                          b.keyId(signing)
                              .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                              .message(survivor))
                  .signature()
                  .asByteArray()));
      String hmac =
          kms.createKey(b -> b.keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC))
              .keyMetadata()
              .keyId();
      state.setProperty(RestartState.HMAC_KEY_ID, hmac);
      state.setProperty(
          RestartState.HMAC_MAC,
          b64(
              kms.generateMac(
                      b ->
                          b.keyId(hmac)
                              .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)
                              .message(survivor))
                  .mac()
                  .asByteArray()));
      String imported = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
      byte[] material = new byte[32];
      new java.security.SecureRandom().nextBytes(material);
      ImportKeyMaterialTest.importMaterial(
          kms, imported, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, material);
      state.setProperty(RestartState.IMPORTED_KEY_ID, imported);
      state.setProperty(
          RestartState.IMPORTED_CIPHERTEXT,
          b64(
              kms.encrypt(b -> b.keyId(imported).plaintext(survivor))
                  .ciphertextBlob()
                  .asByteArray()));

      // Sanity: everything recorded is readable now, so an after-restart failure means the restart.
      assertEquals(
          plaintext,
          kms.decrypt(b -> b.ciphertextBlob(ciphertext).encryptionContext(RestartState.CONTEXT))
              .plaintext()
              .asUtf8String());
    }

    RestartState.write(file, state);
    assertTrue(Files.isRegularFile(file), "state file written: " + file);
    assertEquals(state, RestartState.read(file));
  }
}
