package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.audit.Checkpoint;
import dev.keyhaven.kms.domain.audit.Manifest;

/**
 * The audit signing key: ECDSA P-384 with SHA-384, kept apart from customer keys and from the root
 * key (its private half is stored only wrapped under the root key, like all key material). It signs
 * chain checkpoints and manifests.
 */
public interface AuditSigner {

  /**
   * A signing key pair as stored.
   *
   * @param keyId hex SHA-256 of {@code publicKeyDer}
   * @param publicKeyDer X.509 SubjectPublicKeyInfo
   * @param wrappedPrivateKey PKCS#8, wrapped under the root key
   */
  record StoredKey(String keyId, byte[] publicKeyDer, byte[] wrappedPrivateKey) {}

  /** A signature and the id of the key that made it. */
  record SignedBytes(String keyId, byte[] value) {}

  /** A fresh key pair from the approved DRBG. */
  StoredKey generate();

  /** Makes {@code key} the key {@link #sign} uses. */
  void use(StoredKey key);

  /** The key {@link #sign} uses; fails if {@link #use} was not called. */
  StoredKey current();

  /** Signs {@code toBeSigned} with the current key. */
  SignedBytes sign(byte[] toBeSigned);

  /** Whether {@code signature} over {@code toBeSigned} verifies under {@code publicKeyDer}. */
  boolean verify(byte[] toBeSigned, byte[] signature, byte[] publicKeyDer);

  /** {@code unsigned} with its signing key id and signature set. */
  default Checkpoint sign(Checkpoint unsigned) {
    SignedBytes s = sign(unsigned.toBeSigned());
    return unsigned.withSignature(s.keyId(), s.value());
  }

  /** Whether {@code checkpoint}'s signature verifies under {@code publicKeyDer}. */
  default boolean verify(Checkpoint checkpoint, byte[] publicKeyDer) {
    return verify(checkpoint.toBeSigned(), checkpoint.signature(), publicKeyDer);
  }

  /** {@code unsigned} with its signing key id and signature set. */
  default Manifest sign(Manifest unsigned) {
    SignedBytes s = sign(unsigned.toBeSigned());
    return unsigned.withSignature(s.keyId(), s.value());
  }

  /** Whether {@code manifest}'s signature verifies under {@code publicKeyDer}. */
  default boolean verify(Manifest manifest, byte[] publicKeyDer) {
    return verify(manifest.toBeSigned(), manifest.signature(), publicKeyDer);
  }
}
