package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static dev.keyhaven.tests.Fixtures.flip;
import static dev.keyhaven.tests.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyWithoutPlaintextResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

/**
 * Symmetric cryptography: Encrypt/Decrypt with encryption context, ReEncrypt, data keys, random
 * bytes, size limits and tampering.
 */
class SymmetricCryptoTest {
  private static KmsClient kms;
  private static KeyMetadata keyA;
  private static KeyMetadata keyB;

  @BeforeAll
  static void setUp() {
    kms = KmsClients.client();
    keyA = Fixtures.newKey(kms, "e2e crypto A");
    keyB = Fixtures.newKey(kms, "e2e crypto B");
  }

  @AfterAll
  static void close() {
    kms.close();
  }

  private static Map<String, String> context(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static SdkBytes encrypt(KeyMetadata key, String plaintext, Map<String, String> ec) {
    return kms.encrypt(b -> b.keyId(key.keyId()).plaintext(utf8(plaintext)).encryptionContext(ec))
        .ciphertextBlob();
  }

  @Test
  void encryptThenDecrypt_withEncryptionContext_returnsPlaintextAndKeyArn() {
    Map<String, String> ec = context("tenant", "t-1", "purpose", "e2e");
    EncryptResponse encrypted =
        kms.encrypt(
            b -> b.keyId(keyA.keyId()).plaintext(utf8("attack at dawn")).encryptionContext(ec));
    assertEquals(keyA.arn(), encrypted.keyId());
    assertEquals(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, encrypted.encryptionAlgorithm());
    assertFalse(
        new String(encrypted.ciphertextBlob().asByteArray(), StandardCharsets.ISO_8859_1)
            .contains("attack at dawn"),
        "ciphertext must not contain the plaintext");

    DecryptResponse decrypted =
        kms.decrypt(b -> b.ciphertextBlob(encrypted.ciphertextBlob()).encryptionContext(ec));
    assertEquals("attack at dawn", decrypted.plaintext().asUtf8String());
    assertEquals(keyA.arn(), decrypted.keyId());
    assertEquals(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, decrypted.encryptionAlgorithm());
  }

  @Test
  void encrypt_samePlaintextTwice_givesDifferentCiphertexts() {
    SdkBytes first = encrypt(keyA, "same", Map.of());
    SdkBytes second = encrypt(keyA, "same", Map.of());
    assertFalse(Arrays.equals(first.asByteArray(), second.asByteArray()));
  }

  @Test
  void encrypt_byAliasAndArn_decryptsWithoutKeyId() {
    String alias = Fixtures.uniqueAlias("crypto");
    kms.createAlias(b -> b.aliasName(alias).targetKeyId(keyA.keyId()));
    for (String id : List.of(alias, keyA.arn())) {
      EncryptResponse r = kms.encrypt(b -> b.keyId(id).plaintext(utf8("via " + id)));
      assertEquals(keyA.arn(), r.keyId(), id);
      assertEquals(
          "via " + id,
          kms.decrypt(b -> b.ciphertextBlob(r.ciphertextBlob())).plaintext().asUtf8String());
    }
    // Decrypt accepts the alias as KeyId too.
    SdkBytes ct = encrypt(keyA, "alias decrypt", Map.of());
    assertEquals(
        "alias decrypt",
        kms.decrypt(b -> b.ciphertextBlob(ct).keyId(alias)).plaintext().asUtf8String());
  }

  @Test
  void decrypt_encryptionContextInAnotherOrder_succeeds() {
    SdkBytes ct = encrypt(keyA, "ordered", context("a", "1", "b", "2", "c", "3"));
    String plain =
        kms.decrypt(
                b -> b.ciphertextBlob(ct).encryptionContext(context("c", "3", "a", "1", "b", "2")))
            .plaintext()
            .asUtf8String();
    assertEquals("ordered", plain);
  }

  @Test
  void decrypt_wrongMissingOrExtraEncryptionContext_isInvalidCiphertext() {
    Map<String, String> ec = context("tenant", "t-1");
    SdkBytes ct = encrypt(keyA, "bound to context", ec);

    assertKmsError(
        InvalidCiphertextException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(ct).encryptionContext(context("tenant", "t-2"))));
    assertKmsError(
        InvalidCiphertextException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(ct).encryptionContext(context("TENANT", "t-1"))));
    assertKmsError(InvalidCiphertextException.class, () -> kms.decrypt(b -> b.ciphertextBlob(ct)));
    assertKmsError(
        InvalidCiphertextException.class,
        () ->
            kms.decrypt(
                b -> b.ciphertextBlob(ct).encryptionContext(context("tenant", "t-1", "x", "y"))));
  }

  @Test
  void decrypt_contextGivenButEncryptedWithout_isInvalidCiphertext() {
    SdkBytes ct = encrypt(keyA, "no context", Map.of());
    assertKmsError(
        InvalidCiphertextException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(ct).encryptionContext(context("a", "b"))));
  }

  @Test
  void decrypt_withAnotherKeyId_isIncorrectKey() {
    SdkBytes ct = encrypt(keyA, "for A", Map.of());
    assertKmsError(
        IncorrectKeyException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(ct).keyId(keyB.keyId())));
    assertKmsError(
        IncorrectKeyException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(ct).keyId(keyB.arn())));
    // The right KeyId in any form works.
    assertEquals(
        "for A",
        kms.decrypt(b -> b.ciphertextBlob(ct).keyId(keyA.arn())).plaintext().asUtf8String());
  }

  @Test
  void decrypt_withUnknownKeyId_isNotFound() {
    SdkBytes ct = encrypt(keyA, "for A", Map.of());
    assertKmsError(
        NotFoundException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(ct).keyId(UUID.randomUUID().toString())));
  }

  @Test
  void reEncrypt_toAnotherKey_decryptsUnderTheDestinationKeyOnly() {
    Map<String, String> ec = context("doc", "42");
    SdkBytes ct = encrypt(keyA, "moving", ec);

    ReEncryptResponse r =
        kms.reEncrypt(
            b ->
                b.ciphertextBlob(ct)
                    .sourceEncryptionContext(ec)
                    .destinationKeyId(keyB.keyId())
                    .destinationEncryptionContext(ec));
    assertEquals(keyA.arn(), r.sourceKeyId());
    assertEquals(keyB.arn(), r.keyId());
    assertEquals(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, r.sourceEncryptionAlgorithm());
    assertEquals(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, r.destinationEncryptionAlgorithm());

    DecryptResponse d =
        kms.decrypt(b -> b.ciphertextBlob(r.ciphertextBlob()).encryptionContext(ec));
    assertEquals("moving", d.plaintext().asUtf8String());
    assertEquals(keyB.arn(), d.keyId());
    assertKmsError(
        IncorrectKeyException.class,
        () ->
            kms.decrypt(
                b ->
                    b.ciphertextBlob(r.ciphertextBlob())
                        .encryptionContext(ec)
                        .keyId(keyA.keyId())));
  }

  @Test
  void reEncrypt_sameKeyWithNewContext_requiresTheNewContext() {
    Map<String, String> oldEc = context("version", "1");
    Map<String, String> newEc = context("version", "2");
    SdkBytes ct = encrypt(keyA, "rebind", oldEc);

    ReEncryptResponse r =
        kms.reEncrypt(
            b ->
                b.ciphertextBlob(ct)
                    .sourceEncryptionContext(oldEc)
                    .destinationKeyId(keyA.arn())
                    .destinationEncryptionContext(newEc));
    assertEquals(keyA.arn(), r.keyId());
    assertEquals(keyA.arn(), r.sourceKeyId());

    assertEquals(
        "rebind",
        kms.decrypt(b -> b.ciphertextBlob(r.ciphertextBlob()).encryptionContext(newEc))
            .plaintext()
            .asUtf8String());
    assertKmsError(
        InvalidCiphertextException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(r.ciphertextBlob()).encryptionContext(oldEc)));
  }

  @Test
  void reEncrypt_wrongSourceContext_isInvalidCiphertext() {
    SdkBytes ct = encrypt(keyA, "guarded", context("k", "v"));
    assertKmsError(
        InvalidCiphertextException.class,
        () ->
            kms.reEncrypt(
                b ->
                    b.ciphertextBlob(ct)
                        .sourceEncryptionContext(context("k", "other"))
                        .destinationKeyId(keyB.keyId())));
  }

  @Test
  void reEncrypt_wrongSourceKeyId_isIncorrectKey() {
    SdkBytes ct = encrypt(keyA, "guarded", Map.of());
    assertKmsError(
        IncorrectKeyException.class,
        () ->
            kms.reEncrypt(
                b ->
                    b.ciphertextBlob(ct).sourceKeyId(keyB.keyId()).destinationKeyId(keyB.keyId())));
  }

  @Test
  void generateDataKey_aes256_plaintextMatchesDecryptOfCiphertextBlob() {
    assertDataKey(32, b -> b.keySpec(DataKeySpec.AES_256));
  }

  @Test
  void generateDataKey_aes128_plaintextMatchesDecryptOfCiphertextBlob() {
    assertDataKey(16, b -> b.keySpec(DataKeySpec.AES_128));
  }

  @Test
  void generateDataKey_numberOfBytes64_plaintextMatchesDecryptOfCiphertextBlob() {
    assertDataKey(64, b -> b.numberOfBytes(64));
  }

  private static void assertDataKey(int length, Consumer<GenerateDataKeyRequest.Builder> size) {
    Map<String, String> ec = context("object", "o-" + length);
    GenerateDataKeyResponse r =
        kms.generateDataKey(
            b -> {
              b.keyId(keyA.keyId()).encryptionContext(ec);
              size.accept(b);
            });
    assertEquals(keyA.arn(), r.keyId());
    assertEquals(length, r.plaintext().asByteArray().length);
    assertNotNull(r.ciphertextBlob());

    DecryptResponse d =
        kms.decrypt(b -> b.ciphertextBlob(r.ciphertextBlob()).encryptionContext(ec));
    assertArrayEquals(r.plaintext().asByteArray(), d.plaintext().asByteArray());
    assertEquals(keyA.arn(), d.keyId());
    assertKmsError(
        InvalidCiphertextException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(r.ciphertextBlob())));
  }

  @Test
  void generateDataKey_twice_givesDifferentKeys() {
    byte[] first =
        kms.generateDataKey(b -> b.keyId(keyA.keyId()).keySpec(DataKeySpec.AES_256))
            .plaintext()
            .asByteArray();
    byte[] second =
        kms.generateDataKey(b -> b.keyId(keyA.keyId()).keySpec(DataKeySpec.AES_256))
            .plaintext()
            .asByteArray();
    assertFalse(Arrays.equals(first, second));
  }

  @Test
  void generateDataKey_bothOrNeitherOfKeySpecAndNumberOfBytes_isValidationException() {
    assertKmsError(
        "ValidationException",
        () ->
            kms.generateDataKey(
                b -> b.keyId(keyA.keyId()).keySpec(DataKeySpec.AES_256).numberOfBytes(32)));
    assertKmsError("ValidationException", () -> kms.generateDataKey(b -> b.keyId(keyA.keyId())));
  }

  @Test
  void generateDataKey_numberOfBytesOver1024_isValidationException() {
    assertKmsError(
        "ValidationException",
        () -> kms.generateDataKey(b -> b.keyId(keyA.keyId()).numberOfBytes(1025)));
  }

  @Test
  void generateDataKeyWithoutPlaintext_returnsOnlyCiphertextThatDecryptsToAKey() {
    Map<String, String> ec = context("bucket", "b1");
    GenerateDataKeyWithoutPlaintextResponse r =
        kms.generateDataKeyWithoutPlaintext(
            b -> b.keyId(keyA.arn()).keySpec(DataKeySpec.AES_256).encryptionContext(ec));
    assertEquals(keyA.arn(), r.keyId());
    assertNotNull(r.ciphertextBlob());
    DecryptResponse d =
        kms.decrypt(b -> b.ciphertextBlob(r.ciphertextBlob()).encryptionContext(ec));
    assertEquals(32, d.plaintext().asByteArray().length);

    GenerateDataKeyWithoutPlaintextResponse r64 =
        kms.generateDataKeyWithoutPlaintext(b -> b.keyId(keyA.keyId()).numberOfBytes(64));
    assertEquals(
        64,
        kms.decrypt(b -> b.ciphertextBlob(r64.ciphertextBlob())).plaintext().asByteArray().length);
  }

  @Test
  void generateRandom_32Bytes_returnsFreshBytes() {
    byte[] first = kms.generateRandom(b -> b.numberOfBytes(32)).plaintext().asByteArray();
    byte[] second = kms.generateRandom(b -> b.numberOfBytes(32)).plaintext().asByteArray();
    assertEquals(32, first.length);
    assertEquals(32, second.length);
    assertFalse(Arrays.equals(first, second));
    assertEquals(
        1024, kms.generateRandom(b -> b.numberOfBytes(1024)).plaintext().asByteArray().length);
  }

  @Test
  void generateRandom_outOfRange_isValidationException() {
    assertKmsError("ValidationException", () -> kms.generateRandom(b -> b.numberOfBytes(0)));
    assertKmsError("ValidationException", () -> kms.generateRandom(b -> b.numberOfBytes(1025)));
  }

  @Test
  void encrypt_4096BytePlaintext_roundTrips() {
    byte[] plaintext = new byte[4096];
    new Random(7).nextBytes(plaintext);
    SdkBytes ct =
        kms.encrypt(b -> b.keyId(keyA.keyId()).plaintext(SdkBytes.fromByteArray(plaintext)))
            .ciphertextBlob();
    assertArrayEquals(plaintext, kms.decrypt(b -> b.ciphertextBlob(ct)).plaintext().asByteArray());
  }

  @Test
  void encrypt_4097BytePlaintext_isValidationException() {
    byte[] plaintext = new byte[4097];
    assertKmsError(
        "ValidationException",
        () -> kms.encrypt(b -> b.keyId(keyA.keyId()).plaintext(SdkBytes.fromByteArray(plaintext))));
  }

  @Test
  void encrypt_emptyPlaintext_isValidationException() {
    assertKmsError(
        "ValidationException",
        () ->
            kms.encrypt(b -> b.keyId(keyA.keyId()).plaintext(SdkBytes.fromByteArray(new byte[0]))));
  }

  /**
   * Flipping any byte never decrypts. It fails with InvalidCiphertextException, or — where the flip
   * changes which key the blob names (the key id, at most 16 bytes of it) — with AWS's
   * AccessDeniedException for a ciphertext that refers to a key the caller cannot use.
   */
  @Test
  void decrypt_ciphertextWithAnyByteFlipped_neverDecrypts() {
    Map<String, String> ec = context("tamper", "test");
    byte[] ct = encrypt(keyA, "do not touch", ec).asByteArray();
    List<String> wrong = new ArrayList<>();
    int invalidCiphertext = 0;
    for (int i = 0; i < ct.length; i++) {
      byte[] tampered = flip(ct, i);
      try {
        DecryptResponse r =
            kms.decrypt(
                b -> b.ciphertextBlob(SdkBytes.fromByteArray(tampered)).encryptionContext(ec));
        wrong.add("byte " + i + ": decrypted to " + r.plaintext().asUtf8String());
      } catch (InvalidCiphertextException expected) {
        invalidCiphertext++;
      } catch (KmsException other) {
        boolean unknownKey =
            "AccessDeniedException".equals(other.awsErrorDetails().errorCode())
                && other
                    .awsErrorDetails()
                    .errorMessage()
                    .startsWith("The ciphertext refers to a customer master key");
        if (!unknownKey) {
          wrong.add("byte " + i + ": " + other.awsErrorDetails().errorCode());
        }
      }
    }
    assertTrue(wrong.isEmpty(), ct.length + "-byte ciphertext, unexpected answers: " + wrong);
    assertTrue(
        invalidCiphertext >= ct.length - 16,
        "InvalidCiphertextException at only " + invalidCiphertext + " positions");
  }

  @Test
  void decrypt_truncatedOrGarbageCiphertext_isInvalidCiphertext() {
    byte[] ct = encrypt(keyA, "short", Map.of()).asByteArray();
    assertKmsError(
        InvalidCiphertextException.class,
        () ->
            kms.decrypt(
                b -> b.ciphertextBlob(SdkBytes.fromByteArray(Arrays.copyOf(ct, ct.length - 1)))));
    assertKmsError(
        InvalidCiphertextException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(Arrays.copyOf(ct, 20)))));
    byte[] garbage = new byte[ct.length];
    new Random(3).nextBytes(garbage);
    assertKmsError(
        InvalidCiphertextException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(garbage))));
  }

  @Test
  void decryptResponse_forDataKey_hasNoCiphertextForRecipient() {
    SdkBytes ct = encrypt(keyA, "plain", Map.of());
    assertNull(kms.decrypt(b -> b.ciphertextBlob(ct)).ciphertextForRecipient());
  }
}
