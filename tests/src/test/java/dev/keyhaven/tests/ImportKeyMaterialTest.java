package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlgorithmSpec;
import software.amazon.awssdk.services.kms.model.ExpirationModelType;
import software.amazon.awssdk.services.kms.model.GetParametersForImportResponse;
import software.amazon.awssdk.services.kms.model.ImportKeyMaterialRequest;
import software.amazon.awssdk.services.kms.model.ImportKeyMaterialResponse;
import software.amazon.awssdk.services.kms.model.ImportState;
import software.amazon.awssdk.services.kms.model.ImportType;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.IncorrectKeyMaterialException;
import software.amazon.awssdk.services.kms.model.InvalidImportTokenException;
import software.amazon.awssdk.services.kms.model.KeyMaterialState;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.RotationType;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;
import software.amazon.awssdk.services.kms.model.WrappingKeySpec;

/**
 * Bring your own key through the AWS SDK: CreateKey with Origin EXTERNAL, GetParametersForImport,
 * the key material wrapped by this test with the JDK exactly as AWS's import guide does it with
 * OpenSSL (RSA-OAEP; or RSA-OAEP of a fresh AES-256 key followed by AES Key Wrap with Padding,
 * concatenated), ImportKeyMaterial, use, DeleteImportedKeyMaterial, re-import — for a symmetric
 * key, an RSA signing key, an ECC signing key and an HMAC key.
 */
class ImportKeyMaterialTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static KmsClient kms;

  @BeforeAll
  static void connect() {
    kms = KmsClients.client();
  }

  @AfterAll
  static void close() {
    kms.close();
  }

  private static KeyMetadata external(KeySpec spec, KeyUsageType usage) {
    KeyMetadata key =
        kms.createKey(
                b -> {
                  b.origin(OriginType.EXTERNAL).keySpec(spec).description("e2e byok " + spec);
                  if (usage != null) {
                    b.keyUsage(usage);
                  }
                })
            .keyMetadata();
    assertEquals(KeyState.PENDING_IMPORT, key.keyState());
    assertEquals(OriginType.EXTERNAL, key.origin());
    return key;
  }

  /** RSA-OAEP (MGF1 with the same hash) under the wrapping public key, with the JDK. */
  private static Cipher oaep(byte[] wrappingPublicKey, String hash) throws Exception {
    PublicKey key =
        KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(wrappingPublicKey));
    Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
    cipher.init(
        Cipher.ENCRYPT_MODE,
        key,
        new OAEPParameterSpec(
            hash, "MGF1", new MGF1ParameterSpec(hash), PSource.PSpecified.DEFAULT));
    return cipher;
  }

  /** AWS import guide, RSA_AES_KEY_WRAP_SHA_256: RSA-OAEP(AES key) ‖ AES-KWP(material). */
  private static byte[] rsaAesKeyWrap(byte[] wrappingPublicKey, byte[] material) throws Exception {
    byte[] aesKey = new byte[32];
    RANDOM.nextBytes(aesKey);
    byte[] wrappedKey = oaep(wrappingPublicKey, "SHA-256").doFinal(aesKey);
    Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
    kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
    byte[] wrappedMaterial = kwp.doFinal(material);
    byte[] out = new byte[wrappedKey.length + wrappedMaterial.length];
    System.arraycopy(wrappedKey, 0, out, 0, wrappedKey.length);
    System.arraycopy(wrappedMaterial, 0, out, wrappedKey.length, wrappedMaterial.length);
    return out;
  }

  /** GetParametersForImport, wrap, ImportKeyMaterial (also used by BeforeRestartTest). */
  private static void importMaterial(String keyId, AlgorithmSpec algorithm, byte[] material)
      throws Exception {
    importMaterial(kms, keyId, algorithm, material);
  }

  static void importMaterial(KmsClient kms, String keyId, AlgorithmSpec algorithm, byte[] material)
      throws Exception {
    importMaterial(kms, keyId, algorithm, material, b -> {});
  }

  /** As above, with more ImportKeyMaterial members ({@code extra}); returns the response. */
  static ImportKeyMaterialResponse importMaterial(
      KmsClient kms,
      String keyId,
      AlgorithmSpec algorithm,
      byte[] material,
      Consumer<ImportKeyMaterialRequest.Builder> extra)
      throws Exception {
    TrafficRecord.secret(material);
    GetParametersForImportResponse parameters =
        kms.getParametersForImport(
            b ->
                b.keyId(keyId)
                    .wrappingAlgorithm(algorithm)
                    .wrappingKeySpec(WrappingKeySpec.RSA_3072));
    assertTrue(
        Duration.between(Instant.now(), parameters.parametersValidTo()).toHours() >= 23,
        "the parameters are valid for 24 hours");
    byte[] publicKey = parameters.publicKey().asByteArray();
    byte[] encrypted =
        algorithm == AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256
            ? rsaAesKeyWrap(publicKey, material)
            : oaep(publicKey, algorithm == AlgorithmSpec.RSAES_OAEP_SHA_1 ? "SHA-1" : "SHA-256")
                .doFinal(material);
    return kms.importKeyMaterial(
        b ->
            extra.accept(
                b.keyId(keyId)
                    .importToken(parameters.importToken())
                    .encryptedKeyMaterial(SdkBytes.fromByteArray(encrypted))
                    .expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE)));
  }

  private static byte[] symmetricMaterial() {
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    return material;
  }

  private static String importNew(String keyId, byte[] material) throws Exception {
    return importMaterial(
            kms,
            keyId,
            AlgorithmSpec.RSAES_OAEP_SHA_256,
            material,
            b -> b.importType(ImportType.NEW_KEY_MATERIAL))
        .keyMaterialId();
  }

  private static List<RotationsListEntry> allKeyMaterial(String keyId) {
    return kms.listKeyRotations(
            b -> b.keyId(keyId).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))
        .rotations();
  }

  // AWS KMS Developer Guide, "Rotate keys on demand" (imported key material, 2025); API Reference
  // ImportKeyMaterial ImportType, RotateKeyOnDemand, ListKeyRotations: new material is staged
  // PENDING_ROTATION, RotateKeyOnDemand makes it current, earlier material keeps decrypting and
  // CurrentKeyMaterialId follows. Recorded against AWS (issue 26): with nothing pending,
  // KMSInvalidStateException "No available key material pending rotation for the key: <arn>.";
  // DescribeKey keeps CurrentKeyMaterialId after DeleteImportedKeyMaterial.
  @Test
  void symmetricKey_newKeyMaterial_rotatedOnDemandWhileEarlierMaterialDecrypts() throws Exception {
    KeyMetadata key = external(KeySpec.SYMMETRIC_DEFAULT, null);
    String keyId = key.keyId();
    byte[] first = symmetricMaterial();
    String firstId =
        importMaterial(kms, keyId, AlgorithmSpec.RSAES_OAEP_SHA_256, first, b -> {})
            .keyMaterialId();
    SdkBytes before =
        kms.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String("first")))
            .ciphertextBlob();
    KmsInvalidStateException nothingPending =
        assertKmsError(
            KmsInvalidStateException.class, () -> kms.rotateKeyOnDemand(b -> b.keyId(keyId)));
    assertEquals(
        "No available key material pending rotation for the key: " + key.arn() + ".",
        nothingPending.awsErrorDetails().errorMessage());

    byte[] second = symmetricMaterial();
    String secondId = importNew(keyId, second);
    assertKmsError(KmsInvalidStateException.class, () -> importNew(keyId, symmetricMaterial()));
    List<RotationsListEntry> staged = allKeyMaterial(keyId);
    assertEquals(
        List.of(firstId, secondId),
        staged.stream().map(RotationsListEntry::keyMaterialId).toList());
    assertEquals(
        List.of(KeyMaterialState.CURRENT, KeyMaterialState.PENDING_ROTATION),
        staged.stream().map(RotationsListEntry::keyMaterialState).toList());
    assertEquals(
        firstId, kms.describeKey(b -> b.keyId(keyId)).keyMetadata().currentKeyMaterialId());

    assertEquals(key.arn(), kms.rotateKeyOnDemand(b -> b.keyId(keyId)).keyId());
    assertEquals(
        secondId, kms.describeKey(b -> b.keyId(keyId)).keyMetadata().currentKeyMaterialId());
    SdkBytes after =
        kms.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String("second")))
            .ciphertextBlob();
    assertEquals("first", kms.decrypt(b -> b.ciphertextBlob(before)).plaintext().asUtf8String());
    assertEquals("second", kms.decrypt(b -> b.ciphertextBlob(after)).plaintext().asUtf8String());
    List<RotationsListEntry> rotations = kms.listKeyRotations(b -> b.keyId(keyId)).rotations();
    assertEquals(1, rotations.size());
    assertEquals(secondId, rotations.get(0).keyMaterialId());
    assertEquals(RotationType.ON_DEMAND, rotations.get(0).rotationType());
    assertEquals(ImportState.IMPORTED, rotations.get(0).importState());

    kms.deleteImportedKeyMaterial(b -> b.keyId(keyId));
    KeyMetadata deleted = kms.describeKey(b -> b.keyId(keyId)).keyMetadata();
    assertEquals(KeyState.PENDING_IMPORT, deleted.keyState());
    assertEquals(secondId, deleted.currentKeyMaterialId());
    assertKmsError(
        KmsInvalidStateException.class, () -> kms.decrypt(b -> b.ciphertextBlob(before)));
    importMaterial(kms, keyId, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, second, b -> {});
    assertEquals("first", kms.decrypt(b -> b.ciphertextBlob(before)).plaintext().asUtf8String());
    assertEquals("second", kms.decrypt(b -> b.ciphertextBlob(after)).plaintext().asUtf8String());
  }

  // Recorded against AWS (issue 26): RotateKeyOnDemand of an EXTERNAL key without material answers
  // KMSInvalidStateException "<arn> is pending import." for SYMMETRIC_DEFAULT and RSA_4096 alike.
  @Test
  void rotateKeyOnDemand_externalKeyWithoutMaterial_isPendingImport() {
    for (KeyMetadata key :
        List.of(
            external(KeySpec.SYMMETRIC_DEFAULT, null),
            external(KeySpec.RSA_4096, KeyUsageType.ENCRYPT_DECRYPT))) {
      KmsInvalidStateException e =
          assertKmsError(
              KmsInvalidStateException.class,
              () -> kms.rotateKeyOnDemand(b -> b.keyId(key.keyId())));
      assertEquals(key.arn() + " is pending import.", e.awsErrorDetails().errorMessage());
    }
  }

  @Test
  void symmetricKey_byokRoundTrip_deleteAndReimportTheSameMaterial() throws Exception {
    String keyId = external(KeySpec.SYMMETRIC_DEFAULT, null).keyId();
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    importMaterial(keyId, AlgorithmSpec.RSAES_OAEP_SHA_256, material);
    KeyMetadata imported = kms.describeKey(b -> b.keyId(keyId)).keyMetadata();
    assertEquals(KeyState.ENABLED, imported.keyState());
    assertEquals(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE, imported.expirationModel());
    SdkBytes blob =
        kms.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String("byok secret")))
            .ciphertextBlob();
    kms.deleteImportedKeyMaterial(b -> b.keyId(keyId));
    assertEquals(
        KeyState.PENDING_IMPORT, kms.describeKey(b -> b.keyId(keyId)).keyMetadata().keyState());
    assertKmsError(KmsInvalidStateException.class, () -> kms.decrypt(b -> b.ciphertextBlob(blob)));
    byte[] other = material.clone();
    other[31] ^= 1;
    assertKmsError(
        IncorrectKeyMaterialException.class,
        () -> importMaterial(keyId, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, other));
    importMaterial(keyId, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, material);
    assertEquals(
        "byok secret", kms.decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String());
    assertKmsError(
        UnsupportedOperationException.class, () -> kms.enableKeyRotation(b -> b.keyId(keyId)));
  }

  @Test
  void rsaSigningKey_byok_verifiesTheJdksSignaturesAndTheJdkVerifiesItsOwn() throws Exception {
    String keyId = external(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY).keyId();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    importMaterial(keyId, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, pair.getPrivate().getEncoded());
    assertArrayEquals(
        pair.getPublic().getEncoded(),
        kms.getPublicKey(b -> b.keyId(keyId)).publicKey().asByteArray());
    byte[] message = "release 1.4.2 checksum".getBytes(StandardCharsets.UTF_8);
    Signature jdk = Signature.getInstance("RSASSA-PSS");
    jdk.setParameter(new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1));
    jdk.initSign(pair.getPrivate());
    jdk.update(message);
    byte[] jdkSignature = jdk.sign();
    assertTrue(
        kms.verify(
                b ->
                    b.keyId(keyId)
                        .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_384)
                        .message(SdkBytes.fromByteArray(message))
                        .signature(SdkBytes.fromByteArray(jdkSignature)))
            .signatureValid());
    byte[] kmsSignature =
        kms.sign(
                b ->
                    b.keyId(keyId)
                        .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_384)
                        .message(SdkBytes.fromByteArray(message)))
            .signature()
            .asByteArray();
    jdk.initVerify(pair.getPublic());
    jdk.update(message);
    assertTrue(jdk.verify(kmsSignature));
    // RSA private keys are too long for RSA-OAEP alone.
    String another = external(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY).keyId();
    assertKmsError(
        "ValidationException",
        () ->
            kms.getParametersForImport(
                b ->
                    b.keyId(another)
                        .wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256)
                        .wrappingKeySpec(WrappingKeySpec.RSA_2048)));
  }

  @Test
  void eccSigningKey_byok_signaturesVerifyWithTheLocalPublicKey() throws Exception {
    String keyId = external(KeySpec.ECC_NIST_P384, KeyUsageType.SIGN_VERIFY).keyId();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair pair = generator.generateKeyPair();
    importMaterial(keyId, AlgorithmSpec.RSAES_OAEP_SHA_1, pair.getPrivate().getEncoded());
    byte[] message = {1, 2, 3, 4};
    byte[] signature =
        kms.sign(
                b ->
                    b.keyId(keyId)
                        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384)
                        .message(SdkBytes.fromByteArray(message)))
            .signature()
            .asByteArray();
    Signature jdk = Signature.getInstance("SHA384withECDSA");
    jdk.initVerify(pair.getPublic());
    jdk.update(message);
    assertTrue(jdk.verify(signature));
  }

  @Test
  void hmacKey_byok_macEqualsTheLocalHmac_tokenOfAnotherKeyRefused() throws Exception {
    String keyId = external(KeySpec.HMAC_512, KeyUsageType.GENERATE_VERIFY_MAC).keyId();
    byte[] material = new byte[64];
    RANDOM.nextBytes(material);
    importMaterial(keyId, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, material);
    Mac local = Mac.getInstance("HmacSHA512");
    local.init(new SecretKeySpec(material, "HmacSHA512"));
    byte[] message = "webhook body".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(
        local.doFinal(message),
        kms.generateMac(
                b ->
                    b.keyId(keyId)
                        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_512)
                        .message(SdkBytes.fromByteArray(message)))
            .mac()
            .asByteArray());
    String other = external(KeySpec.HMAC_512, KeyUsageType.GENERATE_VERIFY_MAC).keyId();
    GetParametersForImportResponse parameters =
        kms.getParametersForImport(
            b ->
                b.keyId(keyId)
                    .wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256)
                    .wrappingKeySpec(WrappingKeySpec.RSA_2048));
    byte[] encrypted = oaep(parameters.publicKey().asByteArray(), "SHA-256").doFinal(material);
    assertKmsError(
        InvalidImportTokenException.class,
        () ->
            kms.importKeyMaterial(
                b ->
                    b.keyId(other)
                        .importToken(parameters.importToken())
                        .encryptedKeyMaterial(SdkBytes.fromByteArray(encrypted))
                        .expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE)));
    assertNull(kms.describeKey(b -> b.keyId(other)).keyMetadata().expirationModel());
  }
}
