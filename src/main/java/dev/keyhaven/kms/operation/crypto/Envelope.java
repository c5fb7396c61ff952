package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.crypto.CiphertextBlob;
import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.EncryptionAlgorithm;
import dev.keyhaven.kms.domain.key.KeyAlgorithms;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AsymmetricCrypto;
import dev.keyhaven.kms.operation.port.SymmetricCrypto;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Encryption and decryption under a KMS key, shared by Encrypt, Decrypt, ReEncrypt and the data key
 * operations: resolve the key, enforce key state, usage and algorithm, load the material, run the
 * cipher. Each call reads the key row, so a state change committed anywhere takes effect on the
 * next request.
 *
 * <p>Symmetric keys (SYMMETRIC_DEFAULT) use the blob format of docs/ciphertext-format.md. RSA keys
 * of usage ENCRYPT_DECRYPT use RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256 (AWS KMS API Reference,
 * Encrypt): the EncryptionAlgorithm is required, the plaintext is at most {@link
 * KeyAlgorithms#maxPlaintext} bytes, there is no encryption context, and the ciphertext is the bare
 * OAEP output — which is why Decrypt needs KeyId and EncryptionAlgorithm for it.
 */
@ApplicationScoped
public class Envelope {
  /** A ciphertext, the key that made it and the algorithm. */
  public record Sealed(KmsKey key, byte[] ciphertextBlob, EncryptionAlgorithm algorithm) {}

  /** A plaintext, the key that opened it and the algorithm. */
  public record Opened(KmsKey key, byte[] plaintext, EncryptionAlgorithm algorithm) {}

  private final KeyResolver resolver;
  private final KeyMaterials materials;
  private final SymmetricCrypto crypto;
  private final AsymmetricCrypto asymmetric;

  Envelope(
      KeyResolver resolver,
      KeyMaterials materials,
      SymmetricCrypto crypto,
      AsymmetricCrypto asymmetric) {
    this.resolver = resolver;
    this.materials = materials;
    this.crypto = crypto;
    this.asymmetric = asymmetric;
  }

  /**
   * Encrypt (and ReEncrypt's destination): {@code plaintext} under the key {@code keyId} names,
   * with {@code algorithmName} (absent means SYMMETRIC_DEFAULT).
   */
  public Uni<Sealed> encrypt(
      RequestContext context,
      KmsAction action,
      KeyReference keyId,
      byte[] plaintext,
      EncryptionContext encryptionContext,
      String algorithmName) {
    EncryptionAlgorithm algorithm = algorithmOf(algorithmName);
    return resolver
        .resolve(context, action, keyId, true, conditionsOf(encryptionContext, algorithm))
        .map(key -> requireEncryptionKey(key, action, algorithm, encryptionContext))
        .chain(
            key ->
                key.keySpec() == KeySpec.SYMMETRIC_DEFAULT
                    ? sealSymmetric(key, plaintext, encryptionContext)
                    : sealAsymmetric(key, algorithm, plaintext));
  }

  /**
   * The data key operations (GenerateDataKey*, GenerateDataKeyPair*): {@code plaintext} under a
   * symmetric encryption key; any other key spec is InvalidKeyUsageException.
   */
  public Uni<Sealed> seal(
      RequestContext context,
      KmsAction action,
      KeyReference keyId,
      byte[] plaintext,
      EncryptionContext encryptionContext) {
    return dataKeyWrappingKey(context, action, keyId, encryptionContext, Conditions.none())
        .chain(key -> sealUnder(key, plaintext, encryptionContext));
  }

  /**
   * The key a data key operation encrypts under, resolved, authorized (with the encryption context
   * and {@code extra} condition keys) and checked: Enabled, a symmetric encryption key. Lets an
   * operation make expensive material only once the request is allowed.
   */
  public Uni<KmsKey> dataKeyWrappingKey(
      RequestContext context,
      KmsAction action,
      KeyReference keyId,
      EncryptionContext encryptionContext,
      Conditions extra) {
    EncryptionAlgorithm algorithm = EncryptionAlgorithm.SYMMETRIC_DEFAULT;
    return resolver
        .resolve(
            context, action, keyId, true, conditionsOf(encryptionContext, algorithm).and(extra))
        .map(
            key ->
                requireSymmetricSpec(
                    key.requireStateFor(action).requireUsage(KeyUsage.ENCRYPT_DECRYPT, action),
                    action));
  }

  /** Encrypts {@code plaintext} under a key {@link #dataKeyWrappingKey} returned. */
  public Uni<Sealed> sealUnder(KmsKey key, byte[] plaintext, EncryptionContext encryptionContext) {
    return sealSymmetric(key, plaintext, encryptionContext);
  }

  /**
   * Decrypt (and ReEncrypt's source).
   *
   * <p>AWS KMS API Reference, Decrypt: for a symmetric ciphertext KeyId is optional (the ciphertext
   * names key and version) and, when given, must identify the key in the ciphertext, else
   * IncorrectKeyException; every other failure, a wrong encryption context included, is
   * InvalidCiphertextException with no detail. An RSA ciphertext carries no metadata: KeyId and an
   * RSAES_OAEP_* EncryptionAlgorithm name the key and how to open it.
   */
  public Uni<Opened> decrypt(
      RequestContext context,
      KmsAction action,
      byte[] ciphertextBlob,
      KeyReference keyId,
      EncryptionContext encryptionContext,
      String algorithmName) {
    EncryptionAlgorithm algorithm = algorithmOf(algorithmName);
    Conditions conditions = conditionsOf(encryptionContext, algorithm);
    if (keyId != null && algorithm != EncryptionAlgorithm.SYMMETRIC_DEFAULT) {
      return resolver
          .resolve(context, action, keyId, true, conditions)
          .map(key -> requireEncryptionKey(key, action, algorithm, encryptionContext))
          .chain(key -> openAsymmetric(key, algorithm, ciphertextBlob));
    }
    CiphertextBlob blob = CiphertextBlob.parse(ciphertextBlob);
    Uni<KmsKey> named = resolver.resolveFromCiphertext(context, action, blob.keyId(), conditions);
    Uni<KmsKey> key =
        keyId == null
            ? named.map(Envelope::requireSymmetricFromBlob)
            : resolver
                .resolve(context, action, keyId, true, conditions)
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
    return key.map(k -> requireEncryptionKey(k, action, algorithm, encryptionContext))
        .chain(
            k ->
                materials
                    .unwrapped(k, blob.keyVersion(), KmsException::invalidCiphertext)
                    .map(
                        material -> {
                          try {
                            return new Opened(
                                k, crypto.decrypt(blob, material, encryptionContext), algorithm);
                          } finally {
                            material.wipe();
                          }
                        }));
  }

  private Uni<Sealed> sealSymmetric(KmsKey key, byte[] plaintext, EncryptionContext context) {
    return materials.withCurrent(
        key,
        material ->
            new Sealed(
                key,
                crypto
                    .encrypt(key.keyId(), key.currentVersion(), material, plaintext, context)
                    .toBytes(),
                EncryptionAlgorithm.SYMMETRIC_DEFAULT));
  }

  private Uni<Sealed> sealAsymmetric(KmsKey key, EncryptionAlgorithm algorithm, byte[] plaintext) {
    // AWS KMS API Reference, Encrypt Plaintext: "RSAES_OAEP_SHA_1 … 214 bytes" etc. (k − 2·hLen −
    // 2).
    int limit = KeyAlgorithms.maxPlaintext(key.keySpec(), algorithm);
    if (plaintext.length > limit) {
      throw KmsException.validation(
          "Algorithm "
              + algorithm.wireName()
              + " and key spec "
              + key.keySpec().wireName()
              + " cannot encrypt data larger than "
              + limit
              + " bytes.");
    }
    return materials
        .publicKey(key)
        .map(
            publicKey ->
                new Sealed(key, asymmetric.encrypt(algorithm, publicKey, plaintext), algorithm));
  }

  private Uni<Opened> openAsymmetric(KmsKey key, EncryptionAlgorithm algorithm, byte[] ciphertext) {
    return materials.withCurrent(
        key,
        privateKey ->
            new Opened(key, asymmetric.decrypt(algorithm, privateKey, ciphertext), algorithm));
  }

  /**
   * Key state, usage ENCRYPT_DECRYPT, and an algorithm the key offers. A symmetric key takes only
   * SYMMETRIC_DEFAULT; an RSA key only the RSAES_OAEP_* algorithms and no encryption context (AWS
   * KMS API Reference, Encrypt EncryptionContext: "An encryption context is supported only on
   * operations with symmetric encryption KMS keys").
   */
  private static KmsKey requireEncryptionKey(
      KmsKey key, KmsAction action, EncryptionAlgorithm algorithm, EncryptionContext context) {
    key.requireStateFor(action).requireUsage(KeyUsage.ENCRYPT_DECRYPT, action);
    if (key.keySpec() == KeySpec.SYMMETRIC_DEFAULT) {
      if (algorithm != EncryptionAlgorithm.SYMMETRIC_DEFAULT) {
        throw new KmsException(
            ErrorCode.INVALID_KEY_USAGE,
            "The encryption algorithm "
                + algorithm.wireName()
                + " is not valid for a symmetric KMS key.");
      }
      return key;
    }
    KeyAlgorithms.require(
        algorithm, KeyAlgorithms.encryption(key.keySpec(), key.keyUsage()), key.keySpec());
    if (!context.pairs().isEmpty()) {
      throw KmsException.validation(
          "EncryptionContext is not supported with the asymmetric KMS key " + key.arn() + ".");
    }
    return key;
  }

  /**
   * A symmetric ciphertext can only have been made under a symmetric key: a header naming any other
   * key of the caller is tampering, answered like all tampering (security reference P2, P6) rather
   * than with the key's usage. A KeyId the caller names is checked as usual.
   */
  private static KmsKey requireSymmetricFromBlob(KmsKey key) {
    if (key.keySpec() != KeySpec.SYMMETRIC_DEFAULT) {
      throw KmsException.invalidCiphertext();
    }
    return key;
  }

  /** Data keys are encrypted only under symmetric encryption keys. */
  private static KmsKey requireSymmetricSpec(KmsKey key, KmsAction action) {
    if (key.keySpec() != KeySpec.SYMMETRIC_DEFAULT) {
      throw new KmsException(
          ErrorCode.INVALID_KEY_USAGE,
          key.arn()
              + " key spec is "
              + key.keySpec().wireName()
              + " which is not valid for "
              + action.wireName()
              + ".");
    }
    return key;
  }

  private static EncryptionAlgorithm algorithmOf(String name) {
    return name == null
        ? EncryptionAlgorithm.SYMMETRIC_DEFAULT
        : AwsEnum.fromWire(EncryptionAlgorithm.class, name);
  }

  /** kms:EncryptionContext:*, kms:EncryptionContextKeys and kms:EncryptionAlgorithm. */
  private static Conditions conditionsOf(
      EncryptionContext encryptionContext, EncryptionAlgorithm algorithm) {
    return Conditions.encryptionContext(encryptionContext.pairs())
        .with("kms:EncryptionAlgorithm", algorithm.wireName());
  }
}
