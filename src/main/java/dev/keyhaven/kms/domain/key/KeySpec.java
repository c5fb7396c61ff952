package dev.keyhaven.kms.domain.key;

/**
 * AWS KMS KeySpec (API Reference, CreateKey KeySpec), with the kind of key each literal names.
 *
 * <p>Served: SYMMETRIC_DEFAULT, RSA_2048/3072/4096, ECC_NIST_P256/P384/P521, ECC_SECG_P256K1,
 * ECC_NIST_EDWARDS25519 (Ed25519, RFC 8032) and HMAC_224/256/384/512. SM2 (China Regions only) and
 * ML_DSA_* are AWS literals Keyhaven does not serve yet ({@link Family#NOT_SUPPORTED}); CreateKey
 * answers UnsupportedOperationException for them.
 */
public enum KeySpec implements AwsEnum {
  SYMMETRIC_DEFAULT(Family.SYMMETRIC, 256),
  RSA_2048(Family.RSA, 2048),
  RSA_3072(Family.RSA, 3072),
  RSA_4096(Family.RSA, 4096),
  ECC_NIST_P256(Family.ECC, 256),
  ECC_NIST_P384(Family.ECC, 384),
  ECC_NIST_P521(Family.ECC, 521),
  ECC_SECG_P256K1(Family.ECC, 256),
  HMAC_224(Family.HMAC, 224),
  HMAC_256(Family.HMAC, 256),
  HMAC_384(Family.HMAC, 384),
  HMAC_512(Family.HMAC, 512),
  SM2(Family.NOT_SUPPORTED, 256),
  ECC_NIST_EDWARDS25519(Family.EDWARDS, 255),
  ML_DSA_44(Family.NOT_SUPPORTED, 0),
  ML_DSA_65(Family.NOT_SUPPORTED, 0),
  ML_DSA_87(Family.NOT_SUPPORTED, 0);

  /** What kind of key a spec names. */
  public enum Family {
    /** AES-256-GCM with per-request derived keys (docs/ciphertext-format.md). */
    SYMMETRIC,
    /** An RSA key pair of {@link #bits()} bits, public exponent 65537. */
    RSA,
    /** An elliptic-curve key pair on the named curve. */
    ECC,
    /** An Edwards-curve key pair for EdDSA (edwards25519, RFC 8032 §5.1; RFC 8410 encodings). */
    EDWARDS,
    /** An HMAC key of {@link #bits()} bits. */
    HMAC,
    /** An AWS literal Keyhaven does not serve. */
    NOT_SUPPORTED
  }

  private final Family family;
  private final int bits;

  KeySpec(Family family, int bits) {
    this.family = family;
    this.bits = bits;
  }

  public Family family() {
    return family;
  }

  /** Modulus size (RSA), field size (ECC) or key length (HMAC, symmetric) in bits. */
  public int bits() {
    return bits;
  }

  /** RSA, ECC or Edwards: a key pair whose public key GetPublicKey returns. */
  public boolean isAsymmetric() {
    return family == Family.RSA || family == Family.ECC || family == Family.EDWARDS;
  }
}
