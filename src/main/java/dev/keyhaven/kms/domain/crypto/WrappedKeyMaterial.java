package dev.keyhaven.kms.domain.crypto;

/**
 * One version of a key's material, encrypted under the root key. This is the only form in which key
 * material is ever stored.
 *
 * @param version the material version (1 for the material CreateKey makes)
 * @param keyMaterialId AWS's KeyMaterialId for this version (64 hex characters, not secret)
 * @param wrapped IV, ciphertext and tag of AES-256-GCM under the root key, with the key id and
 *     version bound as AAD: the symmetric or HMAC key, or an asymmetric key's private key (PKCS#8
 *     DER)
 * @param publicKey an asymmetric key's public key (SubjectPublicKeyInfo DER, not secret, stored in
 *     clear so GetPublicKey and Verify need no unwrapping); null for symmetric and HMAC keys
 */
public record WrappedKeyMaterial(
    int version, String keyMaterialId, byte[] wrapped, byte[] publicKey) {

  /** Material without a public key (symmetric and HMAC keys). */
  public WrappedKeyMaterial(int version, String keyMaterialId, byte[] wrapped) {
    this(version, keyMaterialId, wrapped, null);
  }

  /** The same wrapped material with its public key. */
  public WrappedKeyMaterial withPublicKey(byte[] key) {
    return new WrappedKeyMaterial(version, keyMaterialId, wrapped, key);
  }
}
