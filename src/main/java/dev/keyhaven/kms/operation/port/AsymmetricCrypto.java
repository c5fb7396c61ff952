package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.key.EncryptionAlgorithm;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import io.smallrye.mutiny.Uni;

/**
 * RSA and elliptic-curve key pairs and what KMS does with them (docs/fips.md says which module
 * service runs each).
 *
 * <p>Encodings: private keys are PKCS#8 DER and exist only as {@link SecretBytes} (the caller wraps
 * them under the root key at once and wipes them); public keys are X.509 SubjectPublicKeyInfo DER,
 * named curves for EC. Signatures are PKCS#1 (RSA) or DER-encoded ECDSA-Sig-Value.
 *
 * <p>Guarantees: {@link #verify} answers false for any signature that does not verify under the
 * key, whatever is wrong with it; {@link #decrypt} fails with InvalidCiphertextException for every
 * bad ciphertext, one error with no detail (no padding oracle); {@link #deriveSharedSecret} refuses
 * (ValidationException) any peer key that is not a valid point of the key's own curve.
 */
public interface AsymmetricCrypto {

  /** A fresh key pair: private key PKCS#8 DER (secret), public key SubjectPublicKeyInfo DER. */
  record KeyPair(SecretBytes privateKey, byte[] publicKey) {}

  /**
   * A new key pair of {@code spec} (RSA_* or ECC_*) from the approved DRBG. RSA prime generation
   * takes seconds at 3072 and 4096 bits, so it runs off the event loop and completes on the
   * caller's context.
   */
  Uni<KeyPair> generate(KeySpec spec);

  /**
   * Checks an imported private key (PKCS#8 DER) against {@code spec} — its algorithm, modulus size
   * or curve — and its use (a pairwise-consistency check for {@code usage}), and returns its public
   * key. Fails with IncorrectKeyMaterialException when it is not such a key.
   */
  byte[] publicKeyOf(KeySpec spec, KeyUsage usage, SecretBytes privateKey);

  /**
   * Signs {@code message} — the message itself ({@link MessageType#RAW}, hashed here) or its digest
   * ({@link MessageType#DIGEST}, exactly the algorithm's hash length, never hashed again).
   */
  byte[] sign(
      KeySpec spec,
      SigningAlgorithm algorithm,
      SecretBytes privateKey,
      byte[] message,
      MessageType messageType);

  /** Whether {@code signature} is a valid signature of {@code message} under {@code publicKey}. */
  boolean verify(
      KeySpec spec,
      SigningAlgorithm algorithm,
      byte[] publicKey,
      byte[] message,
      MessageType messageType,
      byte[] signature);

  /** RSAES-OAEP (MGF1 with the same hash, empty label) under an RSA public key. */
  byte[] encrypt(EncryptionAlgorithm algorithm, byte[] publicKey, byte[] plaintext);

  /** Inverse of {@link #encrypt}; InvalidCiphertextException for any failure. */
  byte[] decrypt(EncryptionAlgorithm algorithm, SecretBytes privateKey, byte[] ciphertext);

  /**
   * The ECDH shared secret Z (NIST SP 800-56A Rev. 3, §5.7.1.2, the x-coordinate, field-size bytes)
   * of the key pair's private key and the peer's public key (SubjectPublicKeyInfo DER).
   */
  SecretBytes deriveSharedSecret(KeySpec spec, SecretBytes privateKey, byte[] peerPublicKey);
}
