package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Encrypt, Decrypt, ReEncrypt, GenerateDataKey[WithoutPlaintext], GenerateRandom. */
@QuarkusTest
class SymmetricCryptoTest {
  private static final String SECRET =
      KmsApi.b64("attack at dawn".getBytes(StandardCharsets.UTF_8));
  private final KmsApi kms = KmsApi.newAccount();

  private String encrypt(String keyId, Map<String, String> context) {
    Map<String, Object> request = new LinkedHashMap<>(Map.of("KeyId", keyId, "Plaintext", SECRET));
    if (context != null) {
      request.put("EncryptionContext", context);
    }
    return kms.call("Encrypt", request)
        .statusCode(200)
        .body("KeyId", equalTo(kms.arnOf(keyId)))
        .body("EncryptionAlgorithm", equalTo("SYMMETRIC_DEFAULT"))
        .extract()
        .path("CiphertextBlob");
  }

  private void assertInvalidCiphertext(Map<String, Object> decryptRequest) {
    kms.call("Decrypt", decryptRequest)
        .statusCode(400)
        .body("__type", equalTo("InvalidCiphertextException"))
        .body("message", nullValue());
  }

  // AWS Developer Guide, encryption context: exact, case-sensitive match; order does not matter.
  @Test
  void decrypt_sameContextAnyOrder_returnsPlaintextAndKeyArn() {
    String keyId = kms.createKey();
    Map<String, String> context = new LinkedHashMap<>();
    context.put("tenant", "acme");
    context.put("purpose", "invoices");
    String blob = encrypt(keyId, context);
    Map<String, String> reordered = new LinkedHashMap<>();
    reordered.put("purpose", "invoices");
    reordered.put("tenant", "acme");
    kms.call("Decrypt", Map.of("CiphertextBlob", blob, "EncryptionContext", reordered))
        .statusCode(200)
        .body("Plaintext", equalTo(SECRET))
        .body("KeyId", equalTo(kms.arnOf(keyId)))
        .body("EncryptionAlgorithm", equalTo("SYMMETRIC_DEFAULT"));
  }

  @Test
  void decrypt_wrongMissingOrExtraContext_invalidCiphertext() {
    String keyId = kms.createKey();
    String blob = encrypt(keyId, Map.of("tenant", "acme"));
    assertInvalidCiphertext(Map.of("CiphertextBlob", blob));
    assertInvalidCiphertext(
        Map.of("CiphertextBlob", blob, "EncryptionContext", Map.of("tenant", "Acme")));
    assertInvalidCiphertext(
        Map.of("CiphertextBlob", blob, "EncryptionContext", Map.of("Tenant", "acme")));
    assertInvalidCiphertext(
        Map.of("CiphertextBlob", blob, "EncryptionContext", Map.of("tenant", "acme", "x", "y")));
  }

  @Test
  void decrypt_anyFlippedByte_invalidCiphertext() {
    String keyId = kms.createKey();
    byte[] blob = KmsApi.unb64(encrypt(keyId, null));
    // Every region of the format: format byte, key id, version, nonce, IV, body, tag.
    // A changed key id names a key the caller does not have: AccessDeniedException, as AWS.
    for (int position : new int[] {0, 5, 20, 30, 60, blob.length - 20, blob.length - 1}) {
      byte[] tampered = blob.clone();
      tampered[position] ^= 0x01;
      boolean keyIdByte = position >= 1 && position <= 16;
      kms.call("Decrypt", Map.of("CiphertextBlob", KmsApi.b64(tampered)))
          .statusCode(400)
          .body(
              "__type",
              equalTo(keyIdByte ? "AccessDeniedException" : "InvalidCiphertextException"));
    }
    byte[] truncated = java.util.Arrays.copyOf(blob, blob.length - 1);
    assertInvalidCiphertext(Map.of("CiphertextBlob", KmsApi.b64(truncated)));
    assertInvalidCiphertext(Map.of("CiphertextBlob", KmsApi.b64(new byte[] {1, 2, 3})));
  }

  // P6: the key id in the header is authenticated; pointing it at another key of the caller fails.
  @Test
  void decrypt_headerKeyIdSwappedToOwnOtherKey_invalidCiphertext() {
    String keyA = kms.createKey();
    String keyB = kms.createKey();
    byte[] blob = KmsApi.unb64(encrypt(keyA, null));
    java.util.UUID b = java.util.UUID.fromString(keyB);
    java.nio.ByteBuffer.wrap(blob, 1, 16)
        .putLong(b.getMostSignificantBits())
        .putLong(b.getLeastSignificantBits());
    assertInvalidCiphertext(Map.of("CiphertextBlob", KmsApi.b64(blob)));
  }

  // P2, P6: a header naming another of the caller's keys that cannot make symmetric ciphertexts
  // (HMAC, signing, RSA encryption) is the same tampering, with the same answer — not an
  // InvalidKeyUsageException that tells the key's usage (docs/reliability.md, scenario 5).
  @Test
  void decrypt_headerKeyIdSwappedToOwnNonSymmetricKey_invalidCiphertext() {
    String keyA = kms.createKey();
    byte[] blob = KmsApi.unb64(encrypt(keyA, null));
    for (String[] spec :
        new String[][] {
          {"HMAC_256", "GENERATE_VERIFY_MAC"},
          {"ECC_NIST_P256", "SIGN_VERIFY"},
          {"RSA_2048", "ENCRYPT_DECRYPT"}
        }) {
      java.util.UUID other = java.util.UUID.fromString(kms.createKey(spec[0], spec[1]));
      java.nio.ByteBuffer.wrap(blob, 1, 16)
          .putLong(other.getMostSignificantBits())
          .putLong(other.getLeastSignificantBits());
      assertInvalidCiphertext(Map.of("CiphertextBlob", KmsApi.b64(blob)));
    }
  }

  // AWS KMS API Reference, Decrypt KeyId: if given, it must identify the key in the ciphertext.
  @Test
  void decrypt_keyIdOfAnotherKey_incorrectKey() {
    String keyA = kms.createKey();
    String keyB = kms.createKey();
    String blob = encrypt(keyA, null);
    kms.call("Decrypt", Map.of("CiphertextBlob", blob, "KeyId", keyB))
        .statusCode(400)
        .body("__type", equalTo("IncorrectKeyException"))
        .body(
            "message",
            equalTo(
                "The key ID in the request does not identify a CMK that can perform this operation."));
    kms.call("Decrypt", Map.of("CiphertextBlob", blob, "KeyId", kms.arnOf(keyA))).statusCode(200);
  }

  @Test
  void decrypt_ciphertextOfAnotherAccount_accessDeniedLikeUnknownKey() {
    String blob = encrypt(kms.createKey(), null);
    String message =
        "The ciphertext refers to a customer master key that does not exist, does not exist in"
            + " this region, or you are not allowed to access.";
    KmsApi.newAccount()
        .call("Decrypt", Map.of("CiphertextBlob", blob))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"))
        .body("message", equalTo(message));
    byte[] unknownKey = KmsApi.unb64(blob);
    java.util.Arrays.fill(unknownKey, 1, 17, (byte) 0);
    kms.call("Decrypt", Map.of("CiphertextBlob", KmsApi.b64(unknownKey)))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"))
        .body("message", equalTo(message));
  }

  @Test
  void encrypt_samePlaintextTwice_differentCiphertexts() {
    String keyId = kms.createKey();
    assertNotEquals(encrypt(keyId, null), encrypt(keyId, null));
  }

  // AWS KMS API Reference, Encrypt Plaintext: 1 to 4096 bytes. The value is never echoed.
  @Test
  void encrypt_plaintextSizes_4096AcceptedLargerOrEmptyRejected() {
    String keyId = kms.createKey();
    kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", KmsApi.b64(new byte[4096])))
        .statusCode(200);
    kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", KmsApi.b64(new byte[4097])))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body(
            "message",
            equalTo(
                "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096"));
    kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", ""))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }

  @Test
  void encrypt_asymmetricAlgorithmOnSymmetricKey_invalidKeyUsage() {
    String keyId = kms.createKey();
    kms.call(
            "Encrypt",
            Map.of(
                "KeyId", keyId, "Plaintext", SECRET, "EncryptionAlgorithm", "RSAES_OAEP_SHA_256"))
        .statusCode(400)
        .body("__type", equalTo("InvalidKeyUsageException"));
    kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", SECRET, "EncryptionAlgorithm", "AES"))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }

  @Test
  void reEncrypt_toOtherKeyWithNewContext_decryptsUnderDestination() {
    String source = kms.createKey();
    String destination = kms.createKey();
    String blob = encrypt(source, Map.of("stage", "one"));
    String moved =
        kms.call(
                "ReEncrypt",
                Map.of(
                    "CiphertextBlob",
                    blob,
                    "SourceEncryptionContext",
                    Map.of("stage", "one"),
                    "DestinationKeyId",
                    destination,
                    "DestinationEncryptionContext",
                    Map.of("stage", "two")))
            .statusCode(200)
            .body("SourceKeyId", equalTo(kms.arnOf(source)))
            .body("KeyId", equalTo(kms.arnOf(destination)))
            .body("SourceEncryptionAlgorithm", equalTo("SYMMETRIC_DEFAULT"))
            .body("DestinationEncryptionAlgorithm", equalTo("SYMMETRIC_DEFAULT"))
            .extract()
            .path("CiphertextBlob");
    kms.call(
            "Decrypt", Map.of("CiphertextBlob", moved, "EncryptionContext", Map.of("stage", "two")))
        .statusCode(200)
        .body("Plaintext", equalTo(SECRET))
        .body("KeyId", equalTo(kms.arnOf(destination)));
    kms.call("ReEncrypt", Map.of("CiphertextBlob", blob, "DestinationKeyId", destination))
        .statusCode(400)
        .body("__type", equalTo("InvalidCiphertextException"));
    kms.call(
            "ReEncrypt",
            Map.of(
                "CiphertextBlob",
                blob,
                "SourceEncryptionContext",
                Map.of("stage", "one"),
                "SourceKeyId",
                destination,
                "DestinationKeyId",
                destination))
        .statusCode(400)
        .body("__type", equalTo("IncorrectKeyException"));
  }

  @Test
  void generateDataKey_aes256_plaintextMatchesDecryptOfBlob() {
    String keyId = kms.createKey();
    var answer =
        kms.call(
                "GenerateDataKey",
                Map.of("KeyId", keyId, "KeySpec", "AES_256", "EncryptionContext", Map.of("a", "b")))
            .statusCode(200)
            .body("KeyId", equalTo(kms.arnOf(keyId)))
            .extract();
    byte[] plaintext = KmsApi.unb64(answer.path("Plaintext"));
    assertEquals(32, plaintext.length);
    String decrypted =
        kms.call(
                "Decrypt",
                Map.of(
                    "CiphertextBlob",
                    answer.<String>path("CiphertextBlob"),
                    "EncryptionContext",
                    Map.of("a", "b")))
            .statusCode(200)
            .extract()
            .path("Plaintext");
    assertArrayEquals(plaintext, KmsApi.unb64(decrypted));
  }

  @Test
  void generateDataKey_sizes_aes128AndNumberOfBytes() {
    String keyId = kms.createKey();
    String p128 =
        kms.call("GenerateDataKey", Map.of("KeyId", keyId, "KeySpec", "AES_128"))
            .statusCode(200)
            .extract()
            .path("Plaintext");
    assertEquals(16, KmsApi.unb64(p128).length);
    String p1024 =
        kms.call("GenerateDataKey", Map.of("KeyId", keyId, "NumberOfBytes", 1024))
            .statusCode(200)
            .extract()
            .path("Plaintext");
    assertEquals(1024, KmsApi.unb64(p1024).length);
  }

  // AWS KMS API Reference, GenerateDataKey: exactly one of KeySpec and NumberOfBytes.
  // Issue 16 (5): a context beyond its serialized form's bounds (a value over 65,535 bytes of
  // UTF-8, or more pairs than that) was a 500 KMSInternalException with a stack trace. (A key that
  // long is refused earlier, by the JSON parser's member-name limit: SerializationException.)
  @Test
  void oversizedEncryptionContext_validationException_inEveryOperationThatTakesOne() {
    String keyId = kms.createKey();
    String blob = encrypt(keyId, Map.of("tenant", "acme"));
    String longValue = "v".repeat(70_000);
    Map<String, String> manyPairs = new LinkedHashMap<>();
    for (int i = 0; i <= 0xFFFF; i++) {
      manyPairs.put(Integer.toString(i, 36), "");
    }
    for (Map<String, String> context : java.util.List.of(Map.of("tenant", longValue), manyPairs)) {
      for (Map.Entry<String, Map<String, Object>> call :
          Map.<String, Map<String, Object>>of(
                  "Encrypt",
                      Map.of("KeyId", keyId, "Plaintext", SECRET, "EncryptionContext", context),
                  "Decrypt", Map.of("CiphertextBlob", blob, "EncryptionContext", context),
                  "GenerateDataKey",
                      Map.of("KeyId", keyId, "KeySpec", "AES_256", "EncryptionContext", context),
                  "ReEncrypt",
                      Map.of(
                          "CiphertextBlob", blob,
                          "SourceEncryptionContext", Map.of("tenant", "acme"),
                          "DestinationKeyId", keyId,
                          "DestinationEncryptionContext", context))
              .entrySet()) {
        kms.call(call.getKey(), call.getValue())
            .statusCode(400)
            .body("__type", equalTo("ValidationException"))
            .body("message", org.hamcrest.Matchers.containsString("65535 bytes in UTF-8"));
      }
    }
    // The bounds themselves are accepted: a value of exactly 65,535 bytes round-trips.
    String largest = "a".repeat(0xFFFF);
    String sealed = encrypt(keyId, Map.of("tenant", largest));
    kms.call(
            "Decrypt",
            Map.of("CiphertextBlob", sealed, "EncryptionContext", Map.of("tenant", largest)))
        .statusCode(200);
  }

  @Test
  void generateDataKey_bothOrNeitherSizeOrOutOfRange_validationException() {
    String keyId = kms.createKey();
    for (Map<String, Object> bad :
        java.util.List.<Map<String, Object>>of(
            Map.of("KeyId", keyId),
            Map.of("KeyId", keyId, "KeySpec", "AES_256", "NumberOfBytes", 32),
            Map.of("KeyId", keyId, "NumberOfBytes", 0),
            Map.of("KeyId", keyId, "NumberOfBytes", 1025),
            Map.of("KeyId", keyId, "KeySpec", "AES_512"))) {
      kms.call("GenerateDataKey", bad)
          .statusCode(400)
          .body("__type", equalTo("ValidationException"));
      kms.call("GenerateDataKeyWithoutPlaintext", bad)
          .statusCode(400)
          .body("__type", equalTo("ValidationException"));
    }
  }

  @Test
  void generateDataKeyWithoutPlaintext_noPlaintextButDecryptable() {
    String keyId = kms.createKey();
    String blob =
        kms.call("GenerateDataKeyWithoutPlaintext", Map.of("KeyId", keyId, "KeySpec", "AES_256"))
            .statusCode(200)
            .body("Plaintext", nullValue())
            .body("KeyId", equalTo(kms.arnOf(keyId)))
            .extract()
            .path("CiphertextBlob");
    String plaintext =
        kms.call("Decrypt", Map.of("CiphertextBlob", blob))
            .statusCode(200)
            .extract()
            .path("Plaintext");
    assertEquals(32, KmsApi.unb64(plaintext).length);
  }

  @Test
  void generateRandom_lengthsAndUniqueness() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String random =
          kms.call("GenerateRandom", Map.of("NumberOfBytes", 32))
              .statusCode(200)
              .extract()
              .path("Plaintext");
      assertEquals(32, KmsApi.unb64(random).length);
      seen.add(random);
    }
    assertEquals(20, seen.size());
    kms.call("GenerateRandom", Map.of("NumberOfBytes", 1024)).statusCode(200);
    kms.call("GenerateRandom", Map.of("NumberOfBytes", 0))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    kms.call("GenerateRandom", Map.of("NumberOfBytes", 1025))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    kms.call("GenerateRandom", Map.of())
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }

  // AWS KMS Developer Guide, "Testing your AWS KMS API calls": DryRun checks everything, then
  // answers DryRunOperationException; a call that would fail answers its real error.
  @Test
  void dryRun_cryptoOperations_dryRunOperationOrTheRealError() {
    String keyId = kms.createKey();
    String blob = encrypt(keyId, Map.of("a", "b"));
    String dryRun = "The request would have succeeded, but the DryRun option is set.";
    for (var call :
        java.util.List.<java.util.Map.Entry<String, Map<String, Object>>>of(
            Map.entry("Encrypt", Map.of("KeyId", keyId, "Plaintext", SECRET, "DryRun", true)),
            Map.entry(
                "Decrypt",
                Map.of(
                    "CiphertextBlob", blob, "EncryptionContext", Map.of("a", "b"), "DryRun", true)),
            Map.entry(
                "ReEncrypt",
                Map.of(
                    "CiphertextBlob",
                    blob,
                    "SourceEncryptionContext",
                    Map.of("a", "b"),
                    "DestinationKeyId",
                    keyId,
                    "DryRun",
                    true)),
            Map.entry(
                "GenerateDataKey", Map.of("KeyId", keyId, "KeySpec", "AES_256", "DryRun", true)),
            Map.entry(
                "GenerateDataKeyWithoutPlaintext",
                Map.of("KeyId", keyId, "NumberOfBytes", 16, "DryRun", true)))) {
      kms.call(call.getKey(), call.getValue())
          .statusCode(400)
          .body("__type", equalTo("DryRunOperationException"))
          .body("message", equalTo(dryRun))
          .body("Plaintext", nullValue());
    }
    kms.call("Decrypt", Map.of("CiphertextBlob", blob, "DryRun", true))
        .statusCode(400)
        .body("__type", equalTo("InvalidCiphertextException"));
    kms.call("DisableKey", Map.of("KeyId", keyId)).statusCode(200);
    kms.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", SECRET, "DryRun", true))
        .statusCode(400)
        .body("__type", equalTo("DisabledException"));
    kms.as("arn:aws:iam::" + kms.accountId() + ":role/NoAccess")
        .call("GenerateDataKey", Map.of("KeyId", keyId, "KeySpec", "AES_256", "DryRun", true))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }
}
