package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.fips.FipsEdEC;

/**
 * Ed25519 key pairs (ECC_NIST_EDWARDS25519) through the FIPS module's approved EdDSA services (FIPS
 * 186-5 §7): generation from the approved DRBG, and the RFC 8410 encodings Keyhaven stores and
 * returns.
 *
 * <ul>
 *   <li>Private keys: PKCS#8 {@code PrivateKeyInfo} version 0 with algorithm id-Ed25519
 *       (1.3.101.112, no parameters) and the 32-byte private key (RFC 8032 §5.1.5 "k") as {@code
 *       CurvePrivateKey ::= OCTET STRING} (RFC 8410 §7) — 48 bytes, what OpenSSL, the JDK and pyca
 *       write. Imports may also be RFC 5958 version 1 with the public key, which must then match.
 *   <li>Public keys: SubjectPublicKeyInfo with id-Ed25519, no parameters, and the 32-byte encoded
 *       point (RFC 8410 §4) — 44 bytes.
 * </ul>
 */
final class FipsEd25519 {
  static final int KEY_LENGTH = 32;
  private static final AlgorithmIdentifier ED25519 =
      new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);

  private FipsEd25519() {}

  /** A new pair: the private key in the 48-byte RFC 8410 form, the public key as SPKI. */
  static dev.keyhaven.kms.operation.port.AsymmetricCrypto.KeyPair generate()
      throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519", Fips.PROVIDER);
    generator.initialize(255, Fips.drbg());
    KeyPair pair = generator.generateKeyPair();
    byte[] seed = seed(PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded()));
    try {
      return new dev.keyhaven.kms.operation.port.AsymmetricCrypto.KeyPair(
          SecretBytes.adopt(pkcs8(seed)), pair.getPublic().getEncoded());
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** RFC 8410 §7 PKCS#8 (version 0, no public key) of a 32-byte private key. */
  static byte[] pkcs8(byte[] seed) {
    try {
      return new PrivateKeyInfo(ED25519, new DEROctetString(seed)).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The 32-byte private key of an Ed25519 PrivateKeyInfo.
   *
   * @throws IllegalArgumentException when it does not hold one
   */
  static byte[] seed(PrivateKeyInfo info) {
    byte[] seed;
    try {
      seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not an Ed25519 CurvePrivateKey", e);
    }
    if (seed.length != KEY_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 private key is 32 bytes");
    }
    return seed;
  }

  /**
   * The public key (SPKI) of an Ed25519 private key, computed by the module (RFC 8032 §5.1.5); when
   * the structure carries a public key (RFC 5958 version 1), it must be that one.
   *
   * @throws IllegalArgumentException when the private key is malformed or the carried public key
   *     differs
   */
  static byte[] publicKeyOf(PrivateKeyInfo info) {
    byte[] seed = seed(info);
    try {
      byte[] point = FipsEdEC.computePublicData(FipsEdEC.Algorithm.Ed25519, seed);
      if (info.getPublicKeyData() != null
          && !Arrays.equals(info.getPublicKeyData().getOctets(), point)) {
        throw new IllegalArgumentException("the carried public key is not the private key's");
      }
      return spki(point);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** SubjectPublicKeyInfo of a 32-byte encoded point (RFC 8410 §4). */
  static byte[] spki(byte[] point) {
    try {
      return new SubjectPublicKeyInfo(ED25519, point).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The 32-byte encoded point of an Ed25519 SubjectPublicKeyInfo already checked by the caller. */
  static byte[] point(byte[] spki) {
    return SubjectPublicKeyInfo.getInstance(spki).getPublicKeyData().getOctets();
  }
}
