package dev.keyhaven.kms.domain.key;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.util.List;

/**
 * AWS's key spec × key usage × algorithm matrix (AWS KMS Developer Guide, "Key spec reference";
 * reference §1.3): which usages a key spec may have, and which algorithms a key of a spec and usage
 * offers. DescribeKey and GetPublicKey list these; every cryptographic operation checks its
 * algorithm against them.
 */
public final class KeyAlgorithms {
  private KeyAlgorithms() {}

  /** The key usages AWS allows for {@code spec}. */
  public static List<KeyUsage> usages(KeySpec spec) {
    return switch (spec) {
      case SYMMETRIC_DEFAULT -> List.of(KeyUsage.ENCRYPT_DECRYPT);
      case RSA_2048, RSA_3072, RSA_4096 -> List.of(KeyUsage.ENCRYPT_DECRYPT, KeyUsage.SIGN_VERIFY);
      case ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521 ->
          List.of(KeyUsage.SIGN_VERIFY, KeyUsage.KEY_AGREEMENT);
      // amazonaws.cn Developer Guide, "Key spec reference": ECC_NIST_EDWARDS25519 is "signing and
      // verification only".
      case ECC_SECG_P256K1, ECC_NIST_EDWARDS25519 -> List.of(KeyUsage.SIGN_VERIFY);
      case HMAC_224, HMAC_256, HMAC_384, HMAC_512 -> List.of(KeyUsage.GENERATE_VERIFY_MAC);
      case SM2, ML_DSA_44, ML_DSA_65, ML_DSA_87 -> List.of();
    };
  }

  /** EncryptionAlgorithms of a key (empty unless its usage is ENCRYPT_DECRYPT). */
  public static List<EncryptionAlgorithm> encryption(KeySpec spec, KeyUsage usage) {
    if (usage != KeyUsage.ENCRYPT_DECRYPT) {
      return List.of();
    }
    return switch (spec.family()) {
      case SYMMETRIC -> List.of(EncryptionAlgorithm.SYMMETRIC_DEFAULT);
      case RSA ->
          List.of(EncryptionAlgorithm.RSAES_OAEP_SHA_1, EncryptionAlgorithm.RSAES_OAEP_SHA_256);
      default -> List.of();
    };
  }

  /** SigningAlgorithms of a key (empty unless its usage is SIGN_VERIFY). */
  public static List<SigningAlgorithm> signing(KeySpec spec, KeyUsage usage) {
    if (usage != KeyUsage.SIGN_VERIFY) {
      return List.of();
    }
    return switch (spec) {
      case RSA_2048, RSA_3072, RSA_4096 ->
          List.of(
              SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256,
              SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_384,
              SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_512,
              SigningAlgorithm.RSASSA_PSS_SHA_256,
              SigningAlgorithm.RSASSA_PSS_SHA_384,
              SigningAlgorithm.RSASSA_PSS_SHA_512);
      // One hash per curve, fixed by AWS.
      case ECC_NIST_P256, ECC_SECG_P256K1 -> List.of(SigningAlgorithm.ECDSA_SHA_256);
      case ECC_NIST_P384 -> List.of(SigningAlgorithm.ECDSA_SHA_384);
      case ECC_NIST_P521 -> List.of(SigningAlgorithm.ECDSA_SHA_512);
      // Both Ed25519 instances, in AWS's alphabetical order (as RSA's list).
      case ECC_NIST_EDWARDS25519 ->
          List.of(SigningAlgorithm.ED25519_PH_SHA_512, SigningAlgorithm.ED25519_SHA_512);
      default -> List.of();
    };
  }

  /** MacAlgorithms of a key: the one HMAC of its spec. */
  public static List<MacAlgorithm> mac(KeySpec spec, KeyUsage usage) {
    if (usage != KeyUsage.GENERATE_VERIFY_MAC) {
      return List.of();
    }
    return switch (spec) {
      case HMAC_224 -> List.of(MacAlgorithm.HMAC_SHA_224);
      case HMAC_256 -> List.of(MacAlgorithm.HMAC_SHA_256);
      case HMAC_384 -> List.of(MacAlgorithm.HMAC_SHA_384);
      case HMAC_512 -> List.of(MacAlgorithm.HMAC_SHA_512);
      default -> List.of();
    };
  }

  /** KeyAgreementAlgorithms of a key: ECDH for NIST-curve KEY_AGREEMENT keys. */
  public static List<KeyAgreementAlgorithm> keyAgreement(KeySpec spec, KeyUsage usage) {
    return usage == KeyUsage.KEY_AGREEMENT && spec.family() == KeySpec.Family.ECC
        ? List.of(KeyAgreementAlgorithm.ECDH)
        : List.of();
  }

  /**
   * The key material lengths, in bytes, ImportKeyMaterial accepts for a symmetric or HMAC key spec:
   * exactly 32 for SYMMETRIC_DEFAULT; for HMAC keys from the hash length up to the hash's block
   * size (AWS KMS Developer Guide, "Requirements for imported key material": HMAC_224 28–64,
   * HMAC_256 32–64, HMAC_384 48–128, HMAC_512 64–128 bytes). Null for key pairs, which arrive as
   * PKCS#8 private keys.
   */
  public static int[] importedKeyLengths(KeySpec spec) {
    return switch (spec) {
      case SYMMETRIC_DEFAULT -> new int[] {32, 32};
      case HMAC_224 -> new int[] {28, 64};
      case HMAC_256 -> new int[] {32, 64};
      case HMAC_384 -> new int[] {48, 128};
      case HMAC_512 -> new int[] {64, 128};
      default -> null;
    };
  }

  /**
   * The largest plaintext RSAES-OAEP encrypts under an RSA key of {@code spec}: {@code k − 2·hLen −
   * 2} bytes (RFC 8017 §7.1.1), i.e. AWS's limits 214/342/470 (SHA-1) and 190/318/446 (SHA-256)
   * bytes for 2048/3072/4096-bit keys.
   */
  public static int maxPlaintext(KeySpec spec, EncryptionAlgorithm algorithm) {
    int hashLength = algorithm == EncryptionAlgorithm.RSAES_OAEP_SHA_1 ? 20 : 32;
    return spec.bits() / 8 - 2 * hashLength - 2;
  }

  /**
   * Fails with InvalidKeyUsageException unless {@code algorithm} is one of {@code offered}, in the
   * wording AWS uses for a MAC algorithm that does not match the key (recorded: {@code Algorithm
   * HMAC_SHA_512 is incompatible with key spec HMAC_256.}); Keyhaven uses it for every algorithm
   * family.
   */
  public static <A extends AwsEnum> A require(A algorithm, List<A> offered, KeySpec spec) {
    if (!offered.contains(algorithm)) {
      throw new KmsException(
          ErrorCode.INVALID_KEY_USAGE,
          "Algorithm "
              + algorithm.wireName()
              + " is incompatible with key spec "
              + spec.wireName()
              + ".");
    }
    return algorithm;
  }
}
