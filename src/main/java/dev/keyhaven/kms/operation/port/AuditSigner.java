package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.audit.Checkpoint;

/**
 * The audit signing key: ECDSA P-384 with SHA-384, kept apart from customer keys and from the root
 * key (its private half is stored only wrapped under the root key, like all key material).
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

  /** A fresh key pair from the approved DRBG. */
  StoredKey generate();

  /** Makes {@code key} the key {@link #sign} uses. */
  void use(StoredKey key);

  /** The key {@link #sign} uses; fails if {@link #use} was not called. */
  StoredKey current();

  /** {@code unsigned} with its signing key id and signature set. */
  Checkpoint sign(Checkpoint unsigned);

  /** Whether {@code checkpoint}'s signature verifies under {@code publicKeyDer}. */
  boolean verify(Checkpoint checkpoint, byte[] publicKeyDer);
}
