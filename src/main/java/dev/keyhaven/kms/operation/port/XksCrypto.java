package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import java.util.UUID;

/**
 * AES-256-GCM for the XKS proxy API (aws-kms-xksproxy-api-spec, Encrypt and Decrypt), under a key
 * derived from one version of an XKS key's material for this purpose only.
 *
 * <p>Security guarantees: IND-CCA2 with a fresh 96-bit IV from the approved DRBG and a 128-bit tag;
 * {@code associatedData} is authenticated, not encrypted. {@link #decrypt} fails with
 * InvalidCiphertextException for any tampering and never says why.
 */
public interface XksCrypto {

  /** IV, ciphertext (as long as the plaintext) and tag, as the spec returns them. */
  record Sealed(byte[] iv, byte[] ciphertext, byte[] tag) {}

  Sealed encrypt(
      UUID keyId, int version, SecretBytes material, byte[] plaintext, byte[] associatedData);

  byte[] decrypt(
      UUID keyId,
      int version,
      SecretBytes material,
      byte[] iv,
      byte[] ciphertext,
      byte[] tag,
      byte[] associatedData);

  /** SHA-256 (the ciphertext data integrity value). */
  byte[] sha256(byte[] data);
}
