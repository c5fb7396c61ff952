package dev.keyhaven.kms.domain.key;

import dev.keyhaven.kms.domain.crypto.HashAlgorithm;

/**
 * AWS KMS SigningAlgorithmSpec. The RSA and ECDSA algorithms are served; SM2DSA (China Regions),
 * ML-DSA and Ed25519 are part of AWS's vocabulary but no Keyhaven key spec supports them, so a
 * request naming one fails the key's algorithm check (InvalidKeyUsageException).
 *
 * <p>RSASSA-PSS uses MGF1 with the same hash and a salt as long as the hash (AWS KMS Developer
 * Guide, "RSA key specs for signing and verification").
 */
public enum SigningAlgorithm implements AwsEnum {
  RSASSA_PSS_SHA_256(Scheme.RSASSA_PSS, HashAlgorithm.SHA_256),
  RSASSA_PSS_SHA_384(Scheme.RSASSA_PSS, HashAlgorithm.SHA_384),
  RSASSA_PSS_SHA_512(Scheme.RSASSA_PSS, HashAlgorithm.SHA_512),
  RSASSA_PKCS1_V1_5_SHA_256(Scheme.RSASSA_PKCS1_V1_5, HashAlgorithm.SHA_256),
  RSASSA_PKCS1_V1_5_SHA_384(Scheme.RSASSA_PKCS1_V1_5, HashAlgorithm.SHA_384),
  RSASSA_PKCS1_V1_5_SHA_512(Scheme.RSASSA_PKCS1_V1_5, HashAlgorithm.SHA_512),
  ECDSA_SHA_256(Scheme.ECDSA, HashAlgorithm.SHA_256),
  ECDSA_SHA_384(Scheme.ECDSA, HashAlgorithm.SHA_384),
  ECDSA_SHA_512(Scheme.ECDSA, HashAlgorithm.SHA_512),
  SM2DSA(null, null),
  ML_DSA_SHAKE_256(null, null),
  ED25519_SHA_512(null, null),
  ED25519_PH_SHA_512(null, null);

  /** The signature scheme. */
  public enum Scheme {
    RSASSA_PSS,
    RSASSA_PKCS1_V1_5,
    ECDSA
  }

  private final Scheme scheme;
  private final HashAlgorithm hash;

  SigningAlgorithm(Scheme scheme, HashAlgorithm hash) {
    this.scheme = scheme;
    this.hash = hash;
  }

  /** The scheme; null for the algorithms Keyhaven does not serve. */
  public Scheme scheme() {
    return scheme;
  }

  /** The message hash; a DIGEST message must be exactly {@code hash().length()} bytes. */
  public HashAlgorithm hash() {
    return hash;
  }
}
