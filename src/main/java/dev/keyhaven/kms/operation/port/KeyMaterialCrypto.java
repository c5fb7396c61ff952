package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.crypto.CiphertextBlob;
import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import java.util.UUID;

/**
 * The cryptography the operations need, implemented with the FIPS provider.
 *
 * <p>Security guarantees: {@link #encrypt} is IND-CCA2 and binds the key id, version and encryption
 * context; {@link #decrypt} fails with InvalidCiphertextException for any tampering or context
 * mismatch and never says why. Key material leaves this interface only wrapped under the root key.
 */
public interface KeyMaterialCrypto {

  /** Fresh symmetric key material (256 bits) from the approved DRBG. */
  SecretBytes newSymmetricMaterial();

  /** {@code length} random bytes from the approved DRBG (GenerateRandom, data keys). */
  byte[] randomBytes(int length);

  /** Wraps one version of material under the root key, binding key id and version. */
  WrappedKeyMaterial wrap(UUID keyId, int version, String keyMaterialId, SecretBytes material);

  /**
   * A copy of the cached plaintext material of a version, or null if it is not cached. The caller
   * wipes it after use.
   */
  SecretBytes cachedMaterial(UUID keyId, int version);

  /**
   * The plaintext material of a stored version. May come from a bounded in-memory cache keyed by
   * (key id, version); material never changes for a version, so the cache cannot go stale.
   */
  SecretBytes unwrap(UUID keyId, WrappedKeyMaterial wrapped);

  /**
   * Wipes and drops every cached plaintext version of the key's material (called once the key is
   * deleted; other instances' caches age out, and no request reaches them: the key row is gone).
   */
  void forget(UUID keyId);

  /** Encrypts under a key derived per request from {@code material} (docs/ciphertext-format.md). */
  CiphertextBlob encrypt(
      UUID keyId, int version, SecretBytes material, byte[] plaintext, EncryptionContext context);

  /** Decrypts a parsed blob with the material of the version it names. */
  byte[] decrypt(CiphertextBlob blob, SecretBytes material, EncryptionContext context);

  /** A value only the current root key opens; stored once per database. */
  byte[] newRootKeyCheck();

  /** True if {@code check} came from {@link #newRootKeyCheck()} under the current root key. */
  boolean matchesRootKeyCheck(byte[] check);

  /**
   * Wraps a service secret (e.g. a secret access key) under the root key, binding {@code purpose}
   * (e.g. {@code access-key:<id>}) as AAD so the wrapped bytes are useless elsewhere.
   */
  byte[] wrapSecret(String purpose, SecretBytes secret);

  /** Unwraps what {@link #wrapSecret} made for the same {@code purpose}. */
  SecretBytes unwrapSecret(String purpose, byte[] wrapped);

  /**
   * A MAC binding a stored row's security-relevant columns (issue 16, item 6): HMAC-SHA-256, under
   * a key derived from the root key with its own label, over {@code purpose} and {@code fields},
   * each length-prefixed (so no two different lists give the same input; a null field is distinct
   * from every string). Whoever can write the database but does not hold the root key can neither
   * forge it for new contents nor move it to another row whose fields differ.
   */
  byte[] bindingMac(String purpose, String... fields);

  /** True if {@code mac} is {@link #bindingMac} of the same purpose and fields (constant time). */
  boolean matchesBindingMac(byte[] mac, String purpose, String... fields);

  /**
   * A keyed fingerprint of imported key material (64 hex characters): HMAC-SHA-256 of the key id
   * and {@code material} under a key derived from the root key. It recognises the same material
   * again without storing it and, being keyed, allows no offline guessing of low-entropy material.
   */
  String fingerprint(UUID keyId, byte[] material);
}
