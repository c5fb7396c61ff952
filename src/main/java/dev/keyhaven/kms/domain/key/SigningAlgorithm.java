package dev.keyhaven.kms.domain.key;

import dev.keyhaven.kms.domain.crypto.HashAlgorithm;
import java.util.Set;

/**
 * AWS KMS SigningAlgorithmSpec. The RSA, ECDSA and Ed25519 algorithms are served; SM2DSA (China
 * Regions) and ML-DSA are part of AWS's vocabulary but no Keyhaven key spec supports them, so a
 * request naming one fails the key's algorithm check (InvalidKeyUsageException).
 *
 * <p>RSASSA-PSS uses MGF1 with the same hash and a salt as long as the hash (AWS KMS Developer
 * Guide, "RSA key specs for signing and verification").
 *
 * <p>Ed25519 (RFC 8032 §5.1): ED25519_SHA_512 is PureEdDSA over the message and takes MessageType
 * RAW only; ED25519_PH_SHA_512 is HashEdDSA (Ed25519ph, empty context) and takes MessageType DIGEST
 * only, the caller's SHA-512 of the message, which is PH(M) and not hashed again. AWS KMS API
 * Reference, CreateKey KeySpec: "For ECC_NIST_EDWARDS25519 KMS keys, the ED25519_SHA_512 signing
 * algorithm requires MessageType:RAW, while ED25519_PH_SHA_512 requires MessageType:DIGEST. These
 * message types cannot be used interchangeably."
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
  ED25519_SHA_512(Scheme.ED25519, HashAlgorithm.SHA_512),
  ED25519_PH_SHA_512(Scheme.ED25519_PH, HashAlgorithm.SHA_512);

  /** The signature scheme. */
  public enum Scheme {
    RSASSA_PSS,
    RSASSA_PKCS1_V1_5,
    ECDSA,
    /** PureEdDSA Ed25519 (RFC 8032 §5.1.6): the whole message goes into the signature. */
    ED25519,
    /** HashEdDSA Ed25519ph (RFC 8032 §5.1, phflag 1, empty context) over PH(M) = SHA-512(M). */
    ED25519_PH
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

  /**
   * The MessageTypes AWS accepts with this algorithm: RAW or DIGEST for RSA, ECDSA and SM2DSA; RAW
   * only for ED25519_SHA_512 and DIGEST only for ED25519_PH_SHA_512 (see the class comment); RAW or
   * EXTERNAL_MU for ML_DSA_SHAKE_256 (AWS KMS API Reference, Sign MessageType: "use EXTERNAL_MU for
   * 64-byte representative μ used in ML-DSA signing").
   */
  public Set<MessageType> messageTypes() {
    if (this == ED25519_SHA_512) {
      return Set.of(MessageType.RAW);
    }
    if (this == ED25519_PH_SHA_512) {
      return Set.of(MessageType.DIGEST);
    }
    if (this == ML_DSA_SHAKE_256) {
      return Set.of(MessageType.RAW, MessageType.EXTERNAL_MU);
    }
    return Set.of(MessageType.RAW, MessageType.DIGEST);
  }
}
