package dev.keyhaven.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.KeyAgreementAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Every key spec × key usage of AWS's matrix through the AWS SDK: CreateKey, then each algorithm
 * DescribeKey lists for the key used once — every signing algorithm signs (RAW and DIGEST) and
 * verifies, every encryption algorithm encrypts and decrypts, the MAC algorithm generates and
 * verifies, ECDH derives a secret with a fresh peer key.
 */
class EverySpecRoundTripTest {
  private static final byte[] MESSAGE =
      "round trip".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final Map<KeySpec, String> CURVES =
      Map.of(
          KeySpec.ECC_NIST_P256,
          "secp256r1",
          KeySpec.ECC_NIST_P384,
          "secp384r1",
          KeySpec.ECC_NIST_P521,
          "secp521r1");
  private static KmsClient kms;

  @BeforeAll
  static void connect() {
    kms = KmsClients.client();
  }

  @AfterAll
  static void close() {
    kms.close();
  }

  @ParameterizedTest
  @CsvSource({
    "SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT",
    "RSA_2048, ENCRYPT_DECRYPT",
    "RSA_2048, SIGN_VERIFY",
    "RSA_3072, ENCRYPT_DECRYPT",
    "RSA_3072, SIGN_VERIFY",
    "RSA_4096, ENCRYPT_DECRYPT",
    "RSA_4096, SIGN_VERIFY",
    "ECC_NIST_P256, SIGN_VERIFY",
    "ECC_NIST_P256, KEY_AGREEMENT",
    "ECC_NIST_P384, SIGN_VERIFY",
    "ECC_NIST_P384, KEY_AGREEMENT",
    "ECC_NIST_P521, SIGN_VERIFY",
    "ECC_NIST_P521, KEY_AGREEMENT",
    "ECC_SECG_P256_K1, SIGN_VERIFY",
    "HMAC_224, GENERATE_VERIFY_MAC",
    "HMAC_256, GENERATE_VERIFY_MAC",
    "HMAC_384, GENERATE_VERIFY_MAC",
    "HMAC_512, GENERATE_VERIFY_MAC"
  })
  void createAndUse_everyAlgorithmTheKeyLists(KeySpec spec, KeyUsageType usage) throws Exception {
    KeyMetadata key =
        kms.createKey(b -> b.keySpec(spec).keyUsage(usage).description("e2e every spec"))
            .keyMetadata();
    String keyId = key.keyId();
    assertEquals(spec, key.keySpec());
    assertEquals(usage, key.keyUsage());
    int used = 0;
    for (SigningAlgorithmSpec algorithm : key.signingAlgorithms()) {
      String hash = "SHA-" + algorithm.toString().substring(algorithm.toString().length() - 3);
      byte[] digest = java.security.MessageDigest.getInstance(hash).digest(MESSAGE);
      for (MessageType type : List.of(MessageType.RAW, MessageType.DIGEST)) {
        SdkBytes input = SdkBytes.fromByteArray(type == MessageType.RAW ? MESSAGE : digest);
        SdkBytes signature =
            kms.sign(
                    b ->
                        b.keyId(keyId).signingAlgorithm(algorithm).messageType(type).message(input))
                .signature();
        assertTrue(
            kms.verify(
                    b ->
                        b.keyId(keyId)
                            .signingAlgorithm(algorithm)
                            .message(SdkBytes.fromByteArray(MESSAGE))
                            .signature(signature))
                .signatureValid(),
            algorithm + " " + type);
      }
      used++;
    }
    for (EncryptionAlgorithmSpec algorithm : key.encryptionAlgorithms()) {
      SdkBytes blob =
          kms.encrypt(
                  b ->
                      b.keyId(keyId)
                          .encryptionAlgorithm(algorithm)
                          .plaintext(SdkBytes.fromByteArray(MESSAGE)))
              .ciphertextBlob();
      assertArrayEquals(
          MESSAGE,
          kms.decrypt(b -> b.keyId(keyId).encryptionAlgorithm(algorithm).ciphertextBlob(blob))
              .plaintext()
              .asByteArray(),
          algorithm.toString());
      used++;
    }
    for (MacAlgorithmSpec algorithm : key.macAlgorithms()) {
      SdkBytes mac =
          kms.generateMac(
                  b ->
                      b.keyId(keyId)
                          .macAlgorithm(algorithm)
                          .message(SdkBytes.fromByteArray(MESSAGE)))
              .mac();
      assertTrue(
          kms.verifyMac(
                  b ->
                      b.keyId(keyId)
                          .macAlgorithm(algorithm)
                          .message(SdkBytes.fromByteArray(MESSAGE))
                          .mac(mac))
              .macValid());
      used++;
    }
    for (KeyAgreementAlgorithmSpec algorithm : key.keyAgreementAlgorithms()) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(CURVES.get(spec)));
      byte[] peer = generator.generateKeyPair().getPublic().getEncoded();
      byte[] secret =
          kms.deriveSharedSecret(
                  b ->
                      b.keyId(keyId)
                          .keyAgreementAlgorithm(algorithm)
                          .publicKey(SdkBytes.fromByteArray(peer)))
              .sharedSecret()
              .asByteArray();
      assertEquals(
          (spec.toString().endsWith("521")
              ? 66
              : Integer.parseInt(spec.toString().substring(10)) / 8),
          secret.length);
      used++;
    }
    assertFalse(used == 0, "the key lists at least one algorithm");
  }
}
