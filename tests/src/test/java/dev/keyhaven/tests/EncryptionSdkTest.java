package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import com.amazonaws.encryptionsdk.CryptoResult;
import com.amazonaws.encryptionsdk.ParsedCiphertext;
import com.amazonaws.encryptionsdk.exception.BadCiphertextException;
import com.amazonaws.encryptionsdk.model.KeyBlob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AwsCryptographicMaterialProvidersException;
import software.amazon.cryptography.materialproviders.model.CollectionOfErrors;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * Envelope encryption with the AWS Encryption SDK for Java 3.x and a KMS keyring built on our
 * KmsClient: GenerateDataKey on encrypt, Decrypt on decrypt, with the encryption context bound to
 * the encrypted data key by Keyhaven.
 */
class EncryptionSdkTest {
  private static KmsClient kms;
  private static KeyMetadata key;
  private static KeyMetadata otherKey;
  private static final AwsCrypto CRYPTO =
      AwsCrypto.builder()
          .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
          .build();

  @BeforeAll
  static void setUp() {
    kms = KmsClients.client();
    key = Fixtures.newKey(kms, "e2e esdk");
    otherKey = Fixtures.newKey(kms, "e2e esdk other");
  }

  @AfterAll
  static void close() {
    kms.close();
  }

  /** A KMS keyring for {@code keyArn} that calls Keyhaven through our client. */
  static IKeyring keyring(KmsClient client, String keyArn) {
    MaterialProviders mpl =
        MaterialProviders.builder()
            .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
            .build();
    return mpl.CreateAwsKmsKeyring(
        CreateAwsKmsKeyringInput.builder().kmsKeyId(keyArn).kmsClient(client).build());
  }

  private static Map<String, String> context() {
    Map<String, String> ec = new LinkedHashMap<>();
    ec.put("tenant", "acme-e2e-tenant");
    ec.put("purpose", "esdk-roundtrip");
    return ec;
  }

  private static byte[] plaintext(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  @Test
  void encryptThenDecrypt_withEncryptionContext_roundTrips() {
    byte[] data = plaintext(10_000);
    IKeyring keyring = keyring(kms, key.arn());

    CryptoResult<byte[], ?> encrypted = CRYPTO.encryptData(keyring, data, context());
    CryptoResult<byte[], ?> decrypted = CRYPTO.decryptData(keyring, encrypted.getResult());

    assertArrayEquals(data, decrypted.getResult());
    Map<String, String> ec = decrypted.getEncryptionContext();
    context().forEach((k, v) -> assertEquals(v, ec.get(k), k));
    // The same context required on decrypt is accepted.
    assertArrayEquals(
        data, CRYPTO.decryptData(keyring, encrypted.getResult(), context()).getResult());
  }

  @Test
  void encryptedMessage_dataKey_isAKeyhavenCiphertextBoundToTheContext() {
    byte[] message =
        CRYPTO.encryptData(keyring(kms, key.arn()), plaintext(100), context()).getResult();
    ParsedCiphertext parsed = new ParsedCiphertext(message);
    List<KeyBlob> blobs = parsed.getEncryptedKeyBlobs();
    assertEquals(1, blobs.size());
    KeyBlob blob = blobs.get(0);
    assertEquals("aws-kms", blob.getProviderId());
    assertEquals(key.arn(), new String(blob.getProviderInformation(), StandardCharsets.UTF_8));
    SdkBytes edk = SdkBytes.fromByteArray(blob.getEncryptedDataKey());
    Map<String, String> headerContext = parsed.getEncryptionContextMap();

    var dataKey =
        kms.decrypt(b -> b.ciphertextBlob(edk).encryptionContext(headerContext).keyId(key.arn()));
    assertEquals(key.arn(), dataKey.keyId());
    assertEquals(
        parsed.getCryptoAlgoId().getDataKeyLength(), dataKey.plaintext().asByteArray().length);

    // Without, or with a changed, encryption context Keyhaven refuses the data key.
    assertKmsError(InvalidCiphertextException.class, () -> kms.decrypt(b -> b.ciphertextBlob(edk)));
    Map<String, String> changed = new LinkedHashMap<>(headerContext);
    changed.put("tenant", "someone-else");
    assertKmsError(
        InvalidCiphertextException.class,
        () -> kms.decrypt(b -> b.ciphertextBlob(edk).encryptionContext(changed)));
  }

  @Test
  void decrypt_requiredContextDiffers_fails() {
    IKeyring keyring = keyring(kms, key.arn());
    byte[] message = CRYPTO.encryptData(keyring, plaintext(100), context()).getResult();
    // The message decrypts with its own context, so what refuses below is the context check.
    assertArrayEquals(plaintext(100), CRYPTO.decryptData(keyring, message, context()).getResult());
    Map<String, String> wrong = context();
    wrong.put("tenant", "acme-e2e-other!");
    assertFailsWith(
        AwsCryptographicMaterialProvidersException.class,
        "Encryption context does not match reproduced encryption context",
        () -> CRYPTO.decryptData(keyring, message, wrong));
    // A key the message does not have goes to KMS in the Decrypt's context: Keyhaven refuses.
    Map<String, String> extra = context();
    extra.put("missing", "from-message");
    assertFailsWith(
        InvalidCiphertextException.class,
        "InvalidCiphertextException",
        () -> CRYPTO.decryptData(keyring, message, extra));
  }

  @Test
  void decrypt_contextTamperedInMessageHeader_isRefusedByKms() {
    IKeyring keyring = keyring(kms, key.arn());
    byte[] message = CRYPTO.encryptData(keyring, plaintext(100), context()).getResult();
    byte[] needle = "acme-e2e-tenant".getBytes(StandardCharsets.UTF_8);
    int at = indexOf(message, needle);
    assertTrue(at >= 0, "context value found in the message header");
    byte[] tampered = message.clone();
    tampered[at] = (byte) 'b'; // "bcme-e2e-tenant": same length, still a valid header

    RuntimeException e =
        assertThrows(RuntimeException.class, () -> CRYPTO.decryptData(keyring, tampered));
    assertTrue(
        causeChainMentions(e, "InvalidCiphertextException"),
        "the keyring's Decrypt call must fail at KMS with InvalidCiphertextException: "
            + describe(e));
  }

  @Test
  void decrypt_messageBodyTampered_fails() {
    IKeyring keyring = keyring(kms, key.arn());
    byte[] message = CRYPTO.encryptData(keyring, plaintext(1000), context()).getResult();
    // The data key came back from Decrypt; the body's authentication tag, or for the last byte
    // the message's trailing ECDSA signature, refused the change.
    Map<Integer, String> refusals =
        Map.of(message.length / 2, "Tag mismatch", message.length - 1, "Bad trailing signature");
    refusals.forEach(
        (index, refusal) -> {
          byte[] tampered = Fixtures.flip(message, index);
          assertFailsWith(
              BadCiphertextException.class, refusal, () -> CRYPTO.decryptData(keyring, tampered));
        });
  }

  @Test
  void decrypt_keyringForAnotherKey_fails() {
    byte[] message =
        CRYPTO.encryptData(keyring(kms, key.arn()), plaintext(100), context()).getResult();
    assertEquals(100, CRYPTO.decryptData(keyring(kms, key.arn()), message).getResult().length);
    // The keyring of another key finds no data key of its own to ask KMS about.
    assertFailsWith(
        AwsCryptographicMaterialProvidersException.class,
        "No Encrypted Data Keys found to match",
        () -> CRYPTO.decryptData(keyring(kms, otherKey.arn()), message));
  }

  /**
   * Fails unless {@code call} throws {@code type} — itself, in its cause chain or among the errors
   * the Material Providers Library collects — with {@code message} in its message: any other
   * failure (a refused connection, a KMS error where none is expected) is not the refusal the test
   * is about.
   */
  private static void assertFailsWith(
      Class<? extends Throwable> type, String message, Executable call) {
    RuntimeException e = assertThrows(RuntimeException.class, call);
    if (!causeChainHas(e, type, message)) {
      throw new AssertionError(
          "expected " + type.getSimpleName() + " \"" + message + "\", got" + describe(e), e);
    }
  }

  private static boolean causeChainHas(Throwable e, Class<? extends Throwable> type, String text) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t) && String.valueOf(t.getMessage()).contains(text)) {
        return true;
      }
      for (Throwable n : nested(t)) {
        if (causeChainHas(n, type, text)) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static boolean causeChainMentions(Throwable e, String text) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getName().contains(text) || String.valueOf(t.getMessage()).contains(text)) {
        return true;
      }
      for (Throwable s : nested(t)) {
        if (causeChainMentions(s, text)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Suppressed exceptions, and the per-keyring errors the Material Providers Library collects. */
  private static List<? extends Throwable> nested(Throwable t) {
    List<Throwable> all = new ArrayList<>(List.of(t.getSuppressed()));
    if (t instanceof CollectionOfErrors errors && errors.list() != null) {
      all.addAll(errors.list());
    }
    return all;
  }

  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(" <- ").append(t.getClass().getName()).append(": ").append(t.getMessage());
      for (Throwable n : nested(t)) {
        sb.append(" [").append(describe(n)).append(" ]");
      }
    }
    return sb.toString();
  }
}
