package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.crypto.CiphertextBlob;
import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.EncryptionAlgorithm;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.port.KeyMaterialCrypto;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Symmetric encryption and decryption under a KMS key, shared by Encrypt, Decrypt, ReEncrypt and
 * the GenerateDataKey family: resolve the key, enforce key state and usage, load the material
 * version, run the cipher. Each call reads the key row, so a state change committed anywhere takes
 * effect on the next request.
 */
@ApplicationScoped
public class Envelope {
  /** A ciphertext and the key that made it. */
  public record Sealed(KmsKey key, byte[] ciphertextBlob) {}

  /** A plaintext and the key that opened it. */
  public record Opened(KmsKey key, byte[] plaintext) {}

  private final KeyResolver resolver;
  private final KeyRepository keys;
  private final KeyMaterialCrypto crypto;

  Envelope(KeyResolver resolver, KeyRepository keys, KeyMaterialCrypto crypto) {
    this.resolver = resolver;
    this.keys = keys;
    this.crypto = crypto;
  }

  /** Encrypts {@code plaintext} under the current material version of the key {@code keyId} names. */
  public Uni<Sealed> encrypt(
      RequestContext context,
      KmsAction action,
      String keyId,
      byte[] plaintext,
      EncryptionContext encryptionContext) {
    return resolver
        .resolve(context, action, keyId, true, conditionsOf(encryptionContext))
        .map(key -> requireSymmetricUse(key, action))
        .chain(
            key ->
                material(key, key.currentVersion(), false)
                    .map(
                        material -> {
                          try {
                            CiphertextBlob blob =
                                crypto.encrypt(
                                    key.keyId(),
                                    key.currentVersion(),
                                    material,
                                    plaintext,
                                    encryptionContext);
                            return new Sealed(key, blob.toBytes());
                          } finally {
                            material.wipe();
                          }
                        }));
  }

  /**
   * Decrypts a symmetric ciphertext with the key and version it names.
   *
   * <p>AWS KMS API Reference, Decrypt KeyId: optional for symmetric keys; when given it must
   * identify the key in the ciphertext, else IncorrectKeyException. Every other failure, including
   * a wrong encryption context, is InvalidCiphertextException with no detail.
   */
  public Uni<Opened> decrypt(
      RequestContext context,
      KmsAction action,
      byte[] ciphertextBlob,
      String keyId,
      EncryptionContext encryptionContext) {
    CiphertextBlob blob = CiphertextBlob.parse(ciphertextBlob);
    Uni<KmsKey> named =
        resolver.resolveFromCiphertext(context, action, blob.keyId(), conditionsOf(encryptionContext));
    Uni<KmsKey> key =
        keyId == null
            ? named
            : resolver
                .resolve(context, action, keyId, true, conditionsOf(encryptionContext))
                .chain(
                    requested ->
                        named.map(
                            inBlob -> {
                              if (!inBlob.keyId().equals(requested.keyId())) {
                                throw new KmsException(
                                    ErrorCode.INCORRECT_KEY,
                                    "The key ID in the request does not identify a CMK that can"
                                        + " perform this operation.");
                              }
                              return inBlob;
                            }));
    return key.map(k -> requireSymmetricUse(k, action))
        .chain(
            k ->
                material(k, blob.keyVersion(), true)
                    .map(
                        material -> {
                          try {
                            return new Opened(k, crypto.decrypt(blob, material, encryptionContext));
                          } finally {
                            material.wipe();
                          }
                        }));
  }

  /**
   * Checks an EncryptionAlgorithm member for a symmetric key: absent or SYMMETRIC_DEFAULT.
   */
  public static void requireSymmetricAlgorithm(String algorithm) {
    if (algorithm != null && !EncryptionAlgorithm.SYMMETRIC_DEFAULT.wireName().equals(algorithm)) {
      throw new KmsException(
          ErrorCode.INVALID_KEY_USAGE,
          "The encryption algorithm " + algorithm + " is not valid for a symmetric KMS key.");
    }
  }

  /** kms:EncryptionContext:*, kms:EncryptionContextKeys and kms:EncryptionAlgorithm. */
  private static Conditions conditionsOf(EncryptionContext encryptionContext) {
    return Conditions.encryptionContext(encryptionContext.pairs())
        .with("kms:EncryptionAlgorithm", EncryptionAlgorithm.SYMMETRIC_DEFAULT.wireName());
  }

  private static KmsKey requireSymmetricUse(KmsKey key, KmsAction action) {
    return key.requireStateFor(action).requireUsage(KeyUsage.ENCRYPT_DECRYPT, action);
  }

  private Uni<SecretBytes> material(KmsKey key, int version, boolean fromCiphertext) {
    SecretBytes cached = crypto.cachedMaterial(key.keyId(), version);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return keys.findMaterial(key.keyId(), version)
        .map(
            found ->
                found
                    .map(wrapped -> crypto.unwrap(key.keyId(), wrapped))
                    .orElseThrow(
                        () ->
                            fromCiphertext
                                ? KmsException.invalidCiphertext()
                                : new IllegalStateException(
                                    "current material v" + version + " of " + key.keyId()
                                        + " is missing")));
  }
}
