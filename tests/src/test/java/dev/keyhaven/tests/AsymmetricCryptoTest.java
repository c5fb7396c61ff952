package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static dev.keyhaven.tests.Fixtures.flip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeyPairSpec;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyPairResponse;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyAgreementAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidMacException;
import software.amazon.awssdk.services.kms.model.KmsInvalidSignatureException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Asymmetric, HMAC and key-agreement keys through the AWS SDK for Java v2: each spec's create → use
 * round trip, checked against the JDK's own providers with the public key GetPublicKey returns —
 * signatures (RSA-PSS, PKCS#1 v1.5, ECDSA, Ed25519, Ed25519ph) verified by {@code
 * java.security.Signature}, an RSA-OAEP ciphertext made by SunJCE opened by Decrypt,
 * DeriveSharedSecret equal to a local ECDH, and a data key pair the JDK loads and uses.
 */
class AsymmetricCryptoTest {
  private static final byte[] MESSAGE =
      "pay 10 to account 42, nonce 7".getBytes(StandardCharsets.UTF_8);
  private static KmsClient kms;

  @BeforeAll
  static void connect() {
    kms = KmsClients.client();
  }

  @AfterAll
  static void close() {
    kms.close();
  }

  private static KeyMetadata create(KeySpec spec, KeyUsageType usage) {
    return kms.createKey(b -> b.keySpec(spec).keyUsage(usage).description("e2e " + spec))
        .keyMetadata();
  }

  private static PublicKey publicKey(String keyId, String algorithm) throws Exception {
    GetPublicKeyResponse response = kms.getPublicKey(b -> b.keyId(keyId));
    return KeyFactory.getInstance(algorithm)
        .generatePublic(new X509EncodedKeySpec(response.publicKey().asByteArray()));
  }

  private static byte[] sign(
      String keyId, SigningAlgorithmSpec algorithm, MessageType type, byte[] message) {
    return kms.sign(
            b ->
                b.keyId(keyId)
                    .signingAlgorithm(algorithm)
                    .messageType(type)
                    .message(SdkBytes.fromByteArray(message)))
        .signature()
        .asByteArray();
  }

  /** Verify's SignatureValid (true, or KMSInvalidSignatureException). */
  private static boolean verify(
      String keyId,
      SigningAlgorithmSpec algorithm,
      MessageType type,
      byte[] message,
      byte[] signature) {
    return kms.verify(
            b ->
                b.keyId(keyId)
                    .signingAlgorithm(algorithm)
                    .messageType(type)
                    .message(SdkBytes.fromByteArray(message))
                    .signature(SdkBytes.fromByteArray(signature)))
        .signatureValid();
  }

  private static boolean jdkVerifies(
      String jdkAlgorithm, PublicKey key, byte[] signature, PSSParameterSpec pss) throws Exception {
    Signature verifier = Signature.getInstance(jdkAlgorithm);
    if (pss != null) {
      verifier.setParameter(pss);
    }
    verifier.initVerify(key);
    verifier.update(MESSAGE);
    return verifier.verify(signature);
  }

  @Test
  void rsaSigning_pssAndPkcs1_verifiedByTheJdkAndByVerify() throws Exception {
    KeyMetadata key = create(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
    assertEquals(6, key.signingAlgorithms().size());
    assertTrue(key.encryptionAlgorithms().isEmpty());
    PublicKey publicKey = publicKey(key.keyId(), "RSA");
    byte[] pss =
        sign(key.keyId(), SigningAlgorithmSpec.RSASSA_PSS_SHA_256, MessageType.RAW, MESSAGE);
    PSSParameterSpec pssSpec =
        new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
    assertTrue(
        jdkVerifies("RSASSA-PSS", publicKey, pss, pssSpec), "JDK verifies RSASSA_PSS_SHA_256");
    byte[] digest = MessageDigest.getInstance("SHA-512").digest(MESSAGE);
    byte[] pkcs1 =
        sign(
            key.keyId(),
            SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_512,
            MessageType.DIGEST,
            digest);
    assertTrue(
        jdkVerifies("SHA512withRSA", publicKey, pkcs1, null),
        "a DIGEST is signed as is, not hashed again");
    assertTrue(
        kms.verify(
                b ->
                    b.keyId(key.keyId())
                        .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_256)
                        .message(SdkBytes.fromByteArray(MESSAGE))
                        .signature(SdkBytes.fromByteArray(pss)))
            .signatureValid());
    assertKmsError(
        KmsInvalidSignatureException.class,
        () ->
            kms.verify(
                b ->
                    b.keyId(key.keyId())
                        .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_256)
                        .message(SdkBytes.fromByteArray(MESSAGE))
                        .signature(SdkBytes.fromByteArray(flip(pss, 5)))));
  }

  // AWS KMS API Reference, CreateKey KeySpec: ED25519_SHA_512 requires MessageType RAW and
  // ED25519_PH_SHA_512 MessageType DIGEST (the message's SHA-512). The JDK's SunEC verifies both
  // against the message: PureEdDSA, and Ed25519ph (EdDSAParameterSpec prehash) over the message.
  @Test
  void ed25519Signing_rawAndPrehashed_verifiedByTheJdkAndByVerify() throws Exception {
    KeyMetadata key = create(KeySpec.ECC_NIST_EDWARDS25519, KeyUsageType.SIGN_VERIFY);
    PublicKey publicKey = publicKey(key.keyId(), "Ed25519");
    byte[] pure = sign(key.keyId(), SigningAlgorithmSpec.ED25519_SHA_512, MessageType.RAW, MESSAGE);
    assertEquals(
        List.of("ED25519_PH_SHA_512", "ED25519_SHA_512"), key.signingAlgorithmsAsStrings());
    assertTrue(jdkVerifies("Ed25519", publicKey, pure, null), "JDK verifies ED25519_SHA_512");
    byte[] digest = MessageDigest.getInstance("SHA-512").digest(MESSAGE);
    byte[] prehashed =
        sign(key.keyId(), SigningAlgorithmSpec.ED25519_PH_SHA_512, MessageType.DIGEST, digest);
    Signature ed25519ph = Signature.getInstance("Ed25519");
    ed25519ph.setParameter(new java.security.spec.EdDSAParameterSpec(true));
    ed25519ph.initVerify(publicKey);
    ed25519ph.update(MESSAGE);
    assertTrue(
        ed25519ph.verify(prehashed), "JDK verifies ED25519_PH_SHA_512 as Ed25519ph of the message");
    assertTrue(
        verify(
            key.keyId(),
            SigningAlgorithmSpec.ED25519_PH_SHA_512,
            MessageType.DIGEST,
            digest,
            prehashed));
    byte[] flipped = flip(pure, 5);
    assertKmsError(
        KmsInvalidSignatureException.class,
        () ->
            verify(
                key.keyId(),
                SigningAlgorithmSpec.ED25519_SHA_512,
                MessageType.RAW,
                MESSAGE,
                flipped));
    assertKmsError(
        "ValidationException",
        () -> sign(key.keyId(), SigningAlgorithmSpec.ED25519_SHA_512, MessageType.DIGEST, digest));
  }

  @Test
  void ecdsaSigning_nistCurves_verifiedByTheJdk_secp256k1ByVerify() throws Exception {
    Map<KeySpec, Object[]> curves =
        Map.of(
            KeySpec.ECC_NIST_P256,
                new Object[] {SigningAlgorithmSpec.ECDSA_SHA_256, "SHA256withECDSA"},
            KeySpec.ECC_NIST_P384,
                new Object[] {SigningAlgorithmSpec.ECDSA_SHA_384, "SHA384withECDSA"},
            KeySpec.ECC_NIST_P521,
                new Object[] {SigningAlgorithmSpec.ECDSA_SHA_512, "SHA512withECDSA"});
    for (Map.Entry<KeySpec, Object[]> curve : curves.entrySet()) {
      KeyMetadata key = create(curve.getKey(), KeyUsageType.SIGN_VERIFY);
      SigningAlgorithmSpec algorithm = (SigningAlgorithmSpec) curve.getValue()[0];
      assertEquals(List.of(algorithm), key.signingAlgorithms());
      byte[] signature = sign(key.keyId(), algorithm, MessageType.RAW, MESSAGE);
      assertTrue(
          jdkVerifies((String) curve.getValue()[1], publicKey(key.keyId(), "EC"), signature, null),
          curve.getKey().toString());
    }
    KeyMetadata k1 = create(KeySpec.ECC_SECG_P256_K1, KeyUsageType.SIGN_VERIFY);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(MESSAGE);
    byte[] signature =
        sign(k1.keyId(), SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.DIGEST, digest);
    assertTrue(
        kms.verify(
                b ->
                    b.keyId(k1.keyId())
                        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                        .message(SdkBytes.fromByteArray(MESSAGE))
                        .signature(SdkBytes.fromByteArray(signature)))
            .signatureValid());
  }

  @Test
  void rsaEncryption_ciphertextMadeLocally_decryptsInKeyhaven() throws Exception {
    KeyMetadata key = create(KeySpec.RSA_3072, KeyUsageType.ENCRYPT_DECRYPT);
    assertEquals(
        List.of(
            EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256),
        key.encryptionAlgorithms());
    Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
    oaep.init(
        Cipher.ENCRYPT_MODE,
        publicKey(key.keyId(), "RSA"),
        new OAEPParameterSpec(
            "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
    byte[] secret = "a 32-byte secret made locally!!!".getBytes(StandardCharsets.UTF_8);
    byte[] ciphertext = oaep.doFinal(secret);
    byte[] opened =
        kms.decrypt(
                b ->
                    b.keyId(key.keyId())
                        .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256)
                        .ciphertextBlob(SdkBytes.fromByteArray(ciphertext)))
            .plaintext()
            .asByteArray();
    assertArrayEquals(secret, opened);
    SdkBytes blob =
        kms.encrypt(
                b ->
                    b.keyId(key.keyId())
                        .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1)
                        .plaintext(SdkBytes.fromByteArray(secret)))
            .ciphertextBlob();
    assertArrayEquals(
        secret,
        kms.decrypt(
                b ->
                    b.keyId(key.keyId())
                        .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1)
                        .ciphertextBlob(blob))
            .plaintext()
            .asByteArray());
  }

  @Test
  void hmac_generateAndVerify_tamperedMacRefused() {
    KeyMetadata key = create(KeySpec.HMAC_384, KeyUsageType.GENERATE_VERIFY_MAC);
    assertEquals(List.of(MacAlgorithmSpec.HMAC_SHA_384), key.macAlgorithms());
    byte[] mac =
        kms.generateMac(
                b ->
                    b.keyId(key.keyId())
                        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_384)
                        .message(SdkBytes.fromByteArray(MESSAGE)))
            .mac()
            .asByteArray();
    assertEquals(48, mac.length);
    assertTrue(
        kms.verifyMac(
                b ->
                    b.keyId(key.keyId())
                        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_384)
                        .message(SdkBytes.fromByteArray(MESSAGE))
                        .mac(SdkBytes.fromByteArray(mac)))
            .macValid());
    assertKmsError(
        KmsInvalidMacException.class,
        () ->
            kms.verifyMac(
                b ->
                    b.keyId(key.keyId())
                        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_384)
                        .message(SdkBytes.fromByteArray(MESSAGE))
                        .mac(SdkBytes.fromByteArray(flip(mac, 0)))));
  }

  @Test
  void deriveSharedSecret_equalsLocalEcdh() throws Exception {
    KeyMetadata key = create(KeySpec.ECC_NIST_P256, KeyUsageType.KEY_AGREEMENT);
    assertEquals(List.of(KeyAgreementAlgorithmSpec.ECDH), key.keyAgreementAlgorithms());
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair peer = generator.generateKeyPair();
    byte[] fromKms =
        kms.deriveSharedSecret(
                b ->
                    b.keyId(key.keyId())
                        .keyAgreementAlgorithm(KeyAgreementAlgorithmSpec.ECDH)
                        .publicKey(SdkBytes.fromByteArray(peer.getPublic().getEncoded())))
            .sharedSecret()
            .asByteArray();
    KeyAgreement local = KeyAgreement.getInstance("ECDH");
    local.init(peer.getPrivate());
    local.doPhase(publicKey(key.keyId(), "EC"), true);
    assertArrayEquals(local.generateSecret(), fromKms);
  }

  // Recorded against AWS (issue 26): a PublicKey that is not a valid key of the curve answers
  // ValidationException with an empty message.
  @Test
  void deriveSharedSecret_invalidPublicKey_validationExceptionWithEmptyMessage() throws Exception {
    KeyMetadata key = create(KeySpec.ECC_NIST_P256, KeyUsageType.KEY_AGREEMENT);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    byte[] otherCurve = generator.generateKeyPair().getPublic().getEncoded();
    for (byte[] invalid : List.of(otherCurve, new byte[] {0x30, 0x01, 0x00})) {
      KmsException e =
          assertKmsError(
              "ValidationException",
              () ->
                  kms.deriveSharedSecret(
                      b ->
                          b.keyId(key.keyId())
                              .keyAgreementAlgorithm(KeyAgreementAlgorithmSpec.ECDH)
                              .publicKey(SdkBytes.fromByteArray(invalid))));
      assertEquals("", e.awsErrorDetails().errorMessage());
    }
  }

  @Test
  void generateDataKeyPair_theJdkUsesItAndDecryptReturnsThePrivateKey() throws Exception {
    String wrappingKey = Fixtures.newKey(kms, "e2e data key pairs").keyId();
    Map<String, String> context = Map.of("device", "sensor-17");
    GenerateDataKeyPairResponse pair =
        kms.generateDataKeyPair(
            b ->
                b.keyId(wrappingKey)
                    .keyPairSpec(DataKeyPairSpec.ECC_NIST_P384)
                    .encryptionContext(context));
    assertTrue(halvesArePair(pair, "EC", "SHA384withECDSA"), "the two halves are one pair");
    assertArrayEquals(
        pair.privateKeyPlaintext().asByteArray(),
        kms.decrypt(
                b -> b.ciphertextBlob(pair.privateKeyCiphertextBlob()).encryptionContext(context))
            .plaintext()
            .asByteArray());
    var withoutPlaintext =
        kms.generateDataKeyPairWithoutPlaintext(
            b -> b.keyId(wrappingKey).keyPairSpec(DataKeyPairSpec.RSA_2048));
    assertEquals(DataKeyPairSpec.RSA_2048, withoutPlaintext.keyPairSpec());
    assertTrue(withoutPlaintext.privateKeyCiphertextBlob().asByteArray().length > 1000);
    // An Ed25519 pair in RFC 8410 encodings, which the JDK loads and signs with.
    GenerateDataKeyPairResponse ed25519 =
        kms.generateDataKeyPair(
            b -> b.keyId(wrappingKey).keyPairSpec(DataKeyPairSpec.ECC_NIST_EDWARDS25519));
    assertTrue(
        halvesArePair(ed25519, "Ed25519", "Ed25519"), "the Ed25519 pair's halves are one pair");
  }

  /**
   * The JDK loads both halves of a data key pair; the public key verifies the private key's
   * signature.
   */
  private static boolean halvesArePair(
      GenerateDataKeyPairResponse pair, String keyAlgorithm, String signature) throws Exception {
    KeyFactory factory = KeyFactory.getInstance(keyAlgorithm);
    Signature signer = Signature.getInstance(signature);
    signer.initSign(
        factory.generatePrivate(new PKCS8EncodedKeySpec(pair.privateKeyPlaintext().asByteArray())));
    signer.update(MESSAGE);
    byte[] signed = signer.sign();
    signer.initVerify(
        factory.generatePublic(new X509EncodedKeySpec(pair.publicKey().asByteArray())));
    signer.update(MESSAGE);
    return signer.verify(signed);
  }
}
