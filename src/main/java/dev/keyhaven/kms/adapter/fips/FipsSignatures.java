package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.HashAlgorithm;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;

/**
 * The KMS signing algorithms on the FIPS provider (FIPS 186-5), for RAW messages (hashed by the
 * provider) and DIGEST messages (the caller's hash, never hashed again):
 *
 * <ul>
 *   <li>ECDSA_SHA_*: {@code SHA*withECDSA}; DIGEST: {@code NONEwithECDSA} over the digest.
 *   <li>RSASSA_PKCS1_V1_5_SHA_*: {@code SHA*withRSA}; DIGEST: {@code NONEwithRSA} over the DER
 *       DigestInfo of the digest (RFC 8017 §9.2), which is exactly what {@code SHA*withRSA} signs.
 *   <li>RSASSA_PSS_SHA_*: {@code SHA*withRSA/PSS}, MGF1 with the same hash, salt = hash length;
 *       DIGEST: the provider offers no PSS over a precomputed hash in approved-only mode, so {@link
 *       PrehashedRsaPss} does it — a non-approved path (docs/fips.md).
 *   <li>ED25519_SHA_512 (RAW only): the module's {@code Ed25519} (PureEdDSA, FIPS 186-5 §7.6).
 *   <li>ED25519_PH_SHA_512 (DIGEST only): Ed25519ph over the caller's SHA-512 digest, which the
 *       module offers only over a message it hashes itself, so {@link PrehashedEd25519} does it —
 *       the other non-approved path (docs/fips.md).
 * </ul>
 *
 * <p>{@link #verify} answers false for anything that is not a valid signature, never throws for bad
 * input.
 */
final class FipsSignatures {
  private FipsSignatures() {}

  static byte[] sign(
      SigningAlgorithm algorithm, PrivateKey key, byte[] message, MessageType messageType)
      throws GeneralSecurityException {
    boolean digest = messageType == MessageType.DIGEST;
    if (digest && algorithm.scheme() == SigningAlgorithm.Scheme.RSASSA_PSS) {
      return PrehashedRsaPss.sign(key, algorithm.hash(), message);
    }
    if (algorithm.scheme() == SigningAlgorithm.Scheme.ED25519_PH) {
      byte[] seed = FipsEd25519.seed(PrivateKeyInfo.getInstance(key.getEncoded()));
      try {
        return PrehashedEd25519.sign(seed, message);
      } finally {
        java.util.Arrays.fill(seed, (byte) 0);
      }
    }
    Signature signature = signature(algorithm, digest);
    signature.initSign(key, Fips.drbg());
    signature.update(input(algorithm, message, digest));
    return signature.sign();
  }

  static boolean verify(
      SigningAlgorithm algorithm,
      PublicKey key,
      byte[] message,
      MessageType messageType,
      byte[] signatureBytes) {
    boolean digest = messageType == MessageType.DIGEST;
    try {
      if (digest && algorithm.scheme() == SigningAlgorithm.Scheme.RSASSA_PSS) {
        return PrehashedRsaPss.verify(
            (RSAPublicKey) key, algorithm.hash(), message, signatureBytes);
      }
      if (algorithm.scheme() == SigningAlgorithm.Scheme.ED25519_PH) {
        return PrehashedEd25519.verify(
            FipsEd25519.point(key.getEncoded()), message, signatureBytes);
      }
      Signature signature = signature(algorithm, digest);
      signature.initVerify(key);
      signature.update(input(algorithm, message, digest));
      return signature.verify(signatureBytes);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static Signature signature(SigningAlgorithm algorithm, boolean digest)
      throws GeneralSecurityException {
    String hash = jcaHash(algorithm.hash());
    return switch (algorithm.scheme()) {
      case ECDSA ->
          Signature.getInstance(digest ? "NONEwithECDSA" : hash + "withECDSA", Fips.PROVIDER);
      case RSASSA_PKCS1_V1_5 ->
          Signature.getInstance(digest ? "NONEwithRSA" : hash + "withRSA", Fips.PROVIDER);
      case RSASSA_PSS -> {
        Signature pss = Signature.getInstance(hash + "withRSA/PSS", Fips.PROVIDER);
        pss.setParameter(pssParameters(algorithm.hash()));
        yield pss;
      }
      case ED25519 -> Signature.getInstance("Ed25519", Fips.PROVIDER);
      case ED25519_PH -> throw new IllegalArgumentException("Ed25519ph is PrehashedEd25519's");
    };
  }

  /** What the provider signs: the message, the digest, or (PKCS#1 v1.5) the digest's DigestInfo. */
  private static byte[] input(SigningAlgorithm algorithm, byte[] message, boolean digest) {
    if (digest && algorithm.scheme() == SigningAlgorithm.Scheme.RSASSA_PKCS1_V1_5) {
      return digestInfo(algorithm.hash(), message);
    }
    return message;
  }

  /** DER DigestInfo {algorithm, NULL parameters, digest} (RFC 8017 §9.2, note 1). */
  static byte[] digestInfo(HashAlgorithm hash, byte[] digest) {
    try {
      return new DigestInfo(new AlgorithmIdentifier(hashOid(hash), DERNull.INSTANCE), digest)
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static PSSParameterSpec pssParameters(HashAlgorithm hash) {
    String name = jcaDigest(hash);
    return new PSSParameterSpec(name, "MGF1", new MGF1ParameterSpec(name), hash.length(), 1);
  }

  /** The provider's digest name, e.g. {@code SHA-256}. */
  static String jcaDigest(HashAlgorithm hash) {
    return switch (hash) {
      case SHA_1 -> "SHA-1";
      case SHA_224 -> "SHA-224";
      case SHA_256 -> "SHA-256";
      case SHA_384 -> "SHA-384";
      case SHA_512 -> "SHA-512";
    };
  }

  private static String jcaHash(HashAlgorithm hash) {
    return jcaDigest(hash).replace("-", "");
  }

  private static ASN1ObjectIdentifier hashOid(HashAlgorithm hash) {
    return switch (hash) {
      case SHA_256 -> NISTObjectIdentifiers.id_sha256;
      case SHA_384 -> NISTObjectIdentifiers.id_sha384;
      case SHA_512 -> NISTObjectIdentifiers.id_sha512;
      default -> throw new IllegalArgumentException(hash + " is not a KMS signing hash");
    };
  }
}
