package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.crypto.CiphertextBlob;
import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import java.util.UUID;

/**
 * Encryption under a symmetric key's material, in the blob format of docs/ciphertext-format.md
 * (Encrypt, Decrypt, ReEncrypt, the data key operations).
 *
 * <p>Security guarantees: {@link #encrypt} is IND-CCA2 and binds the key id, version and encryption
 * context; {@link #decrypt} fails with InvalidCiphertextException for any tampering or context
 * mismatch and never says why.
 */
public interface SymmetricCrypto {

  /** Encrypts under a key derived per request from {@code material} (docs/ciphertext-format.md). */
  CiphertextBlob encrypt(
      UUID keyId, int version, SecretBytes material, byte[] plaintext, EncryptionContext context);

  /** Decrypts a parsed blob with the material of the version it names. */
  byte[] decrypt(CiphertextBlob blob, SecretBytes material, EncryptionContext context);
}
