package dev.keyhaven.kms.operation.unit;

import static dev.keyhaven.kms.operation.unit.UnitKms.refused;
import static dev.keyhaven.kms.operation.unit.UnitKms.root;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.operation.KeyMetadata;
import dev.keyhaven.kms.operation.admin.CreateAlias;
import dev.keyhaven.kms.operation.crypto.Decrypt;
import dev.keyhaven.kms.operation.crypto.Encrypt;
import dev.keyhaven.kms.operation.crypto.GenerateDataKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Encrypt, Decrypt, GenerateDataKey and use by alias through the operation pipeline, with the real
 * BC-FIPS crypto on in-memory persistence (the HTTP and PostgreSQL version: SymmetricCryptoTest,
 * AliasesAndTagsTest).
 */
class SymmetricCryptoUnitTest {
  private static final byte[] PLAINTEXT = "attack at dawn".getBytes(StandardCharsets.UTF_8);
  private static final Map<String, String> CONTEXT = Map.of("purpose", "unit");

  private final UnitKms kms = new UnitKms();
  private final KeyMetadata key = kms.createKey().keyMetadata();

  @Test
  void encrypt_thenDecrypt_roundTripsUnderTheKeyBoundToTheContext() {
    Encrypt.Response encrypted = kms.encrypt(root(), key.keyId(), PLAINTEXT, CONTEXT);
    assertEquals(key.arn(), encrypted.keyId());
    assertEquals("SYMMETRIC_DEFAULT", encrypted.encryptionAlgorithm());
    assertFalse(contains(encrypted.ciphertextBlob(), PLAINTEXT));

    Decrypt.Response decrypted = kms.decrypt(root(), encrypted.ciphertextBlob(), CONTEXT);
    assertArrayEquals(PLAINTEXT, decrypted.plaintext());
    assertEquals(key.arn(), decrypted.keyId());
    assertEquals("SYMMETRIC_DEFAULT", decrypted.encryptionAlgorithm());
  }

  @Test
  void decrypt_otherEncryptionContext_invalidCiphertext() {
    byte[] blob = kms.encrypt(root(), key.keyId(), PLAINTEXT, CONTEXT).ciphertextBlob();
    refused(
        ErrorCode.INVALID_CIPHERTEXT, () -> kms.decrypt(root(), blob, Map.of("purpose", "other")));
    refused(ErrorCode.INVALID_CIPHERTEXT, () -> kms.decrypt(root(), blob, Map.of()));
  }

  @Test
  void decrypt_everyByteOfTheSealedPartFlipped_invalidCiphertext() {
    byte[] blob = kms.encrypt(root(), key.keyId(), PLAINTEXT, CONTEXT).ciphertextBlob();
    // The last PLAINTEXT + 16 bytes are the AES-GCM ciphertext and tag.
    for (int i = blob.length - PLAINTEXT.length - 16; i < blob.length; i++) {
      byte[] tampered = blob.clone();
      tampered[i] ^= 1;
      refused(ErrorCode.INVALID_CIPHERTEXT, () -> kms.decrypt(root(), tampered, CONTEXT));
    }
  }

  @Test
  void decrypt_keyIdOfAnotherKey_incorrectKey() {
    byte[] blob = kms.encrypt(root(), key.keyId(), PLAINTEXT, CONTEXT).ciphertextBlob();
    String other = kms.createKey().keyMetadata().keyId();
    refused(
        ErrorCode.INCORRECT_KEY,
        () ->
            kms.call(
                Decrypt.class,
                new Decrypt.Request(blob, KeyReference.of(other), CONTEXT, null, null, null)));
  }

  @Test
  void encrypt_dryRun_dryRunOperationException() {
    refused(
        ErrorCode.DRY_RUN_OPERATION,
        () ->
            kms.call(
                Encrypt.class,
                new Encrypt.Request(
                    KeyReference.of(key.keyId()), PLAINTEXT, CONTEXT, null, null, true)));
  }

  @Test
  void generateDataKey_aes256_plaintextIsWhatTheBlobDecryptsTo() {
    GenerateDataKey.Response dataKey =
        kms.call(
            GenerateDataKey.class,
            new GenerateDataKey.Request(
                KeyReference.of(key.keyId()), "AES_256", null, CONTEXT, null, null));
    assertEquals(32, dataKey.plaintext().length);
    assertEquals(key.arn(), dataKey.keyId());
    assertArrayEquals(
        dataKey.plaintext(), kms.decrypt(root(), dataKey.ciphertextBlob(), CONTEXT).plaintext());
  }

  @Test
  void generateDataKey_numberOfBytes_thatManyBytes() {
    GenerateDataKey.Response dataKey =
        kms.call(
            GenerateDataKey.class,
            new GenerateDataKey.Request(KeyReference.of(key.keyId()), null, 7, null, null, null));
    assertEquals(7, dataKey.plaintext().length);
  }

  @Test
  void generateDataKey_neitherKeySpecNorNumberOfBytes_validationException() {
    var e =
        refused(
            ErrorCode.VALIDATION,
            () ->
                kms.call(
                    GenerateDataKey.class,
                    new GenerateDataKey.Request(
                        KeyReference.of(key.keyId()), null, null, null, null, null)));
    assertEquals("Please specify either number of bytes or key spec.", e.getMessage());
  }

  @Test
  void createAlias_thenEncryptByAliasNameAndAliasArn_theTargetKeyEncrypts() {
    kms.call(
        CreateAlias.class, new CreateAlias.Request("alias/orders", KeyReference.of(key.keyId())));
    Encrypt.Response byName = kms.encrypt(root(), "alias/orders", PLAINTEXT, CONTEXT);
    assertEquals(key.arn(), byName.keyId());
    Encrypt.Response byArn =
        kms.encrypt(root(), "arn:aws:kms:us-east-1:111122223333:alias/orders", PLAINTEXT, CONTEXT);
    assertEquals(key.arn(), byArn.keyId());
    assertArrayEquals(PLAINTEXT, kms.decrypt(root(), byName.ciphertextBlob(), CONTEXT).plaintext());
  }

  @Test
  void createAlias_nameTaken_alreadyExists() {
    kms.call(
        CreateAlias.class, new CreateAlias.Request("alias/orders", KeyReference.of(key.keyId())));
    String other = kms.createKey().keyMetadata().keyId();
    var e =
        refused(
            ErrorCode.ALREADY_EXISTS,
            () ->
                kms.call(
                    CreateAlias.class,
                    new CreateAlias.Request("alias/orders", KeyReference.of(other))));
    assertEquals(
        "An alias with the name arn:aws:kms:us-east-1:111122223333:alias/orders already exists",
        e.getMessage());
    assertEquals(key.arn(), kms.encrypt(root(), "alias/orders", PLAINTEXT, CONTEXT).keyId());
  }

  @Test
  void encrypt_unknownAlias_notFound() {
    var e =
        refused(
            ErrorCode.NOT_FOUND, () -> kms.encrypt(root(), "alias/missing", PLAINTEXT, CONTEXT));
    assertEquals(
        "Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found.", e.getMessage());
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }
}
