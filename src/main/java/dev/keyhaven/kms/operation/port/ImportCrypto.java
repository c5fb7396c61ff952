package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.key.WrappingAlgorithm;
import dev.keyhaven.kms.domain.key.WrappingKeySpec;
import java.time.Instant;
import java.util.UUID;

/**
 * Import tokens and the unwrapping of imported key material (docs/import.md).
 *
 * <p>An import token is self-contained: the wrapping private key, the wrapping algorithm and key
 * spec and the token's expiry, sealed with AES-256-GCM under the root key with the KMS key's id
 * bound as associated data. So nothing is stored by GetParametersForImport, the wrapping private
 * key exists in clear only while a request uses it, and a token opens only for the key it was
 * issued for.
 *
 * <p>Guarantees: {@link #openToken} answers null for any token that this service did not issue for
 * {@code keyId} (another key's, tampered, truncated, random); {@link #unwrapKeyMaterial} fails with
 * one InvalidCiphertextException, no detail, for any material that does not unwrap.
 */
public interface ImportCrypto {

  /** What a token carries. */
  record TokenContents(
      WrappingAlgorithm algorithm,
      WrappingKeySpec wrappingKeySpec,
      Instant validTo,
      SecretBytes wrappingPrivateKey) {}

  /** Seals a token for {@code keyId}; the caller wipes the private key afterwards. */
  byte[] sealToken(UUID keyId, TokenContents contents);

  /** The contents of a token issued for {@code keyId}, or null. The caller wipes the key. */
  TokenContents openToken(UUID keyId, byte[] token);

  /**
   * The key material in EncryptedKeyMaterial, unwrapped with the token's private key as its
   * algorithm prescribes (RSA-OAEP, or RSA-OAEP of an AES key followed by AES-KWP).
   */
  SecretBytes unwrapKeyMaterial(TokenContents token, byte[] encryptedKeyMaterial);
}
