package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.HashAlgorithm;
import dev.keyhaven.kms.domain.error.KmsException;
import org.bouncycastle.crypto.asymmetric.AsymmetricRSAPrivateKey;
import org.bouncycastle.crypto.asymmetric.AsymmetricRSAPublicKey;
import org.bouncycastle.crypto.fips.FipsDigestAlgorithm;
import org.bouncycastle.crypto.fips.FipsRSA;
import org.bouncycastle.crypto.fips.FipsSHS;

/**
 * RSAES-OAEP (RFC 8017 §7.1, NIST SP 800-56B Rev. 2 KTS-OAEP) through the FIPS module's RSA key
 * transport service: Encrypt/Decrypt with RSA keys (RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256: MGF1 with
 * the same hash, empty label) and the RSA half of importing key material.
 *
 * <p>Approved-only BC-FIPS offers OAEP only as key wrapping (the JCA cipher refuses ENCRYPT/DECRYPT
 * mode), so this uses the module's {@code FipsRSA.KeyWrapOperatorFactory}, which transports any
 * byte string — the empty one included.
 *
 * <p>Security guarantee: {@link #decrypt} fails with one InvalidCiphertextException, no message,
 * for every bad ciphertext (wrong length, out of range, bad padding), so no padding oracle.
 */
final class FipsRsaOaep {
  private FipsRsaOaep() {}

  static byte[] encrypt(HashAlgorithm hash, byte[] publicKeySpki, byte[] plaintext) {
    try {
      AsymmetricRSAPublicKey key = new AsymmetricRSAPublicKey(FipsRSA.ALGORITHM, publicKeySpki);
      return new FipsRSA.KeyWrapOperatorFactory()
          .createKeyWrapper(key, parameters(hash, hash, new byte[0]))
          .withSecureRandom(Fips.drbg())
          .wrap(plaintext, 0, plaintext.length);
    } catch (Exception e) {
      throw new IllegalStateException("RSA-OAEP encryption failed", e);
    }
  }

  static byte[] decrypt(HashAlgorithm hash, byte[] privateKeyPkcs8, byte[] ciphertext) {
    return decrypt(hash, hash, new byte[0], privateKeyPkcs8, ciphertext);
  }

  /**
   * OAEP decryption with explicit MGF1 hash and label: the production path passes the same hash and
   * an empty label; known-answer tests pass what their vectors name.
   */
  static byte[] decrypt(
      HashAlgorithm hash,
      HashAlgorithm mgfHash,
      byte[] label,
      byte[] privateKeyPkcs8,
      byte[] ciphertext) {
    AsymmetricRSAPrivateKey key;
    try {
      key = new AsymmetricRSAPrivateKey(FipsRSA.ALGORITHM, privateKeyPkcs8);
    } catch (RuntimeException e) {
      throw new IllegalStateException("a stored RSA private key does not load", e);
    }
    try {
      return new FipsRSA.KeyWrapOperatorFactory()
          .createKeyUnwrapper(key, parameters(hash, mgfHash, label))
          .withSecureRandom(Fips.drbg())
          .unwrap(ciphertext, 0, ciphertext.length);
    } catch (Exception e) {
      throw KmsException.invalidCiphertext();
    }
  }

  private static FipsRSA.OAEPParameters parameters(
      HashAlgorithm hash, HashAlgorithm mgfHash, byte[] label) {
    return FipsRSA.WRAP_OAEP
        .withDigest(digest(hash))
        .withMGFDigest(digest(mgfHash))
        .withEncodingParams(label);
  }

  private static FipsDigestAlgorithm digest(HashAlgorithm hash) {
    return switch (hash) {
      case SHA_1 -> FipsSHS.Algorithm.SHA1;
      case SHA_224 -> FipsSHS.Algorithm.SHA224;
      case SHA_256 -> FipsSHS.Algorithm.SHA256;
      case SHA_384 -> FipsSHS.Algorithm.SHA384;
      case SHA_512 -> FipsSHS.Algorithm.SHA512;
    };
  }
}
