package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.operation.port.AsymmetricCrypto;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * RSA, EC and Ed25519 key pairs through the FIPS provider: generation (FIPS 186-5, keys from the
 * approved DRBG), the stored encodings (PKCS#8 private keys, SubjectPublicKeyInfo public keys with
 * named curves; Ed25519 per RFC 8410, {@link FipsEd25519}) and loading them back for use.
 *
 * <p>Curves: NIST P-256, P-384, P-521 and secp256k1. BC-FIPS 2.1.2 lists secp256k1 among its FIPS
 * domain parameters ({@code FipsEC.DomainParameterID.secp256k1}) and serves ECDSA and ECDH on it in
 * approved-only mode (checked by FipsCapabilitiesTest; docs/fips.md).
 */
final class FipsKeyPairs {
  private FipsKeyPairs() {}

  /** A new key pair of an RSA_*, ECC_* or ECC_NIST_EDWARDS25519 spec. */
  static AsymmetricCrypto.KeyPair generate(KeySpec spec) {
    try {
      if (spec.family() == KeySpec.Family.EDWARDS) {
        return FipsEd25519.generate();
      }
      KeyPairGenerator generator;
      if (spec.family() == KeySpec.Family.RSA) {
        generator = KeyPairGenerator.getInstance("RSA", Fips.PROVIDER);
        generator.initialize(
            new RSAKeyGenParameterSpec(spec.bits(), RSAKeyGenParameterSpec.F4), Fips.drbg());
      } else {
        generator = KeyPairGenerator.getInstance("EC", Fips.PROVIDER);
        generator.initialize(new ECGenParameterSpec(curveName(spec)), Fips.drbg());
      }
      KeyPair pair = generator.generateKeyPair();
      return new AsymmetricCrypto.KeyPair(
          SecretBytes.adopt(pair.getPrivate().getEncoded()), pair.getPublic().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + spec.wireName() + " key pair", e);
    }
  }

  /** A stored private key (PKCS#8 DER) of {@code spec}, for use. */
  static PrivateKey privateKey(KeySpec spec, byte[] pkcs8) {
    try {
      return KeyFactory.getInstance(jcaAlgorithm(spec), Fips.PROVIDER)
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "a stored " + spec.wireName() + " private key does not load", e);
    }
  }

  /**
   * A public key (SubjectPublicKeyInfo in canonical DER) that must be of {@code spec}: the
   * algorithm and, for EC, the named curve of the spec (explicit curve parameters are refused); the
   * provider checks that the point is on the curve and not the point at infinity. Compressed and
   * uncompressed points (SEC 1 §2.3.3) are both accepted.
   *
   * @throws IllegalArgumentException when it is not
   */
  static PublicKey publicKey(KeySpec spec, byte[] spki) {
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(spki);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a DER SubjectPublicKeyInfo", e);
    }
    requireAlgorithm(spec, info.getAlgorithm());
    try {
      if (!java.util.Arrays.equals(canonical(info), spki)) {
        throw new IllegalArgumentException("not a DER SubjectPublicKeyInfo");
      }
      return KeyFactory.getInstance(jcaAlgorithm(spec), Fips.PROVIDER)
          .generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a valid " + spec.wireName() + " public key", e);
    }
  }

  /**
   * The canonical DER form of a parsed SubjectPublicKeyInfo, rebuilt from its values: an input that
   * differs from it used BER lengths, non-minimal OID nodes, unused bits in the key's BIT STRING or
   * trailing bytes (RFC 5280 public keys are DER; X.690 §10, §8.19.2).
   */
  private static byte[] canonical(SubjectPublicKeyInfo info) throws java.io.IOException {
    if (info.getPublicKeyData().getPadBits() != 0) {
      throw new IllegalArgumentException("unused bits in the public key");
    }
    org.bouncycastle.asn1.ASN1Encodable parameters = info.getAlgorithm().getParameters();
    if (parameters instanceof ASN1ObjectIdentifier oid) {
      parameters = new ASN1ObjectIdentifier(oid.getId());
    }
    return new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(
                new ASN1ObjectIdentifier(info.getAlgorithm().getAlgorithm().getId()), parameters),
            info.getPublicKeyData().getBytes())
        .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
  }

  /**
   * Checks that a PKCS#8 private key is of {@code spec} (algorithm, named curve or modulus size)
   * before anything else parses it; KMS's message names what is wrong.
   */
  static PrivateKeyInfo privateKeyInfo(KeySpec spec, byte[] pkcs8) {
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(pkcs8);
      if (info == null || info.getEncoded().length != pkcs8.length) {
        throw new IllegalArgumentException("trailing bytes");
      }
    } catch (java.io.IOException | RuntimeException e) {
      throw new KmsException(
          ErrorCode.INCORRECT_KEY_MATERIAL,
          "The key material is not a DER-encoded PKCS#8 private key for key spec "
              + spec.wireName()
              + ".");
    }
    try {
      requireAlgorithm(spec, info.getPrivateKeyAlgorithm());
    } catch (IllegalArgumentException e) {
      throw new KmsException(
          ErrorCode.INCORRECT_KEY_MATERIAL,
          "The key material is not a private key for key spec " + spec.wireName() + ".");
    }
    return info;
  }

  /** The JCA key algorithm of an asymmetric spec. */
  static String jcaAlgorithm(KeySpec spec) {
    return switch (spec.family()) {
      case RSA -> "RSA";
      case EDWARDS -> "Ed25519";
      default -> "EC";
    };
  }

  /** The provider's name of the spec's curve. */
  static String curveName(KeySpec spec) {
    return switch (spec) {
      case ECC_NIST_P256 -> "P-256";
      case ECC_NIST_P384 -> "P-384";
      case ECC_NIST_P521 -> "P-521";
      case ECC_SECG_P256K1 -> "secp256k1";
      default -> throw new IllegalArgumentException(spec + " is not an EC key spec");
    };
  }

  /** The named-curve OID of an EC spec (RFC 5480). */
  static ASN1ObjectIdentifier curveOid(KeySpec spec) {
    return switch (spec) {
      case ECC_NIST_P256 -> X9ObjectIdentifiers.prime256v1;
      case ECC_NIST_P384 -> SECObjectIdentifiers.secp384r1;
      case ECC_NIST_P521 -> SECObjectIdentifiers.secp521r1;
      case ECC_SECG_P256K1 -> SECObjectIdentifiers.secp256k1;
      default -> throw new IllegalArgumentException(spec + " is not an EC key spec");
    };
  }

  /**
   * rsaEncryption for RSA; id-ecPublicKey with the spec's named curve (no explicit parameters);
   * id-Ed25519 with absent parameters for Ed25519 (RFC 8410 §3: "the parameters MUST be absent").
   */
  private static void requireAlgorithm(KeySpec spec, AlgorithmIdentifier algorithm) {
    if (spec.family() == KeySpec.Family.EDWARDS) {
      if (!EdECObjectIdentifiers.id_Ed25519.equals(algorithm.getAlgorithm())
          || algorithm.getParameters() != null) {
        throw new IllegalArgumentException("not an Ed25519 key");
      }
      return;
    }
    if (spec.family() == KeySpec.Family.RSA) {
      if (!PKCSObjectIdentifiers.rsaEncryption.equals(algorithm.getAlgorithm())) {
        throw new IllegalArgumentException("not an RSA key");
      }
      return;
    }
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
        || !curveOid(spec).equals(algorithm.getParameters())) {
      throw new IllegalArgumentException("not a key on the curve of " + spec.wireName());
    }
  }

  /** FIPS 186-5 §A.1.1: RSA public exponents are odd and 2^16 < e < 2^256. */
  static boolean approvedPublicExponent(BigInteger e) {
    return e.testBit(0) && e.bitLength() > 16 && e.bitLength() <= 256;
  }
}
