package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.HashAlgorithm;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/**
 * RSASSA-PSS (RFC 8017 §8.1) over a digest the caller computed: Sign/Verify with MessageType DIGEST
 * and an RSASSA_PSS_SHA_* algorithm.
 *
 * <p><b>Not a FIPS-approved service.</b> BC-FIPS in approved-only mode signs with PSS only over a
 * message it hashes itself and exposes no raw RSA operation, so this class encodes EMSA-PSS itself
 * (hashes and MGF1 through the FIPS provider's SHA-2) and does the RSA operation with {@link
 * BigInteger}: the private operation uses the CRT with message blinding (a fresh random r for each
 * signature, so the exponentiation never sees the attacker-chosen value) and checks its result with
 * the public exponent before returning it (no faulty CRT signature can leak the factors). Salt =
 * hash length, MGF1 with the same hash, trailer 0xBC — what AWS KMS signs. Only this algorithm
 * combination takes this path; everything else is the FIPS module's (docs/fips.md). Wycheproof
 * RSA-PSS vectors run through it (RsaPssWycheproofTest, DIGEST form).
 */
final class PrehashedRsaPss {
  private PrehashedRsaPss() {}

  static byte[] sign(PrivateKey key, HashAlgorithm hash, byte[] mHash)
      throws GeneralSecurityException {
    if (!(key instanceof RSAPrivateCrtKey crt)) {
      throw new GeneralSecurityException("RSA-PSS over a digest needs an RSA CRT private key");
    }
    requireDigestLength(hash, mHash);
    BigInteger n = crt.getModulus();
    int modBits = n.bitLength();
    byte[] salt = Fips.randomBytes(hash.length());
    byte[] em = encode(hash, mHash, salt, modBits - 1);
    BigInteger m = new BigInteger(1, em);
    BigInteger s = privateOperation(crt, m);
    if (!s.modPow(crt.getPublicExponent(), n).equals(m)) {
      throw new GeneralSecurityException("RSA-PSS signature failed its consistency check");
    }
    return toOctets(s, (modBits + 7) / 8);
  }

  static boolean verify(RSAPublicKey key, HashAlgorithm hash, byte[] mHash, byte[] signature)
      throws GeneralSecurityException {
    BigInteger n = key.getModulus();
    int k = (n.bitLength() + 7) / 8;
    if (mHash.length != hash.length() || signature.length != k) {
      return false;
    }
    BigInteger s = new BigInteger(1, signature);
    if (s.compareTo(n) >= 0) {
      return false;
    }
    int emBits = n.bitLength() - 1;
    int emLen = (emBits + 7) / 8;
    BigInteger m = s.modPow(key.getPublicExponent(), n);
    if (m.bitLength() > emBits) {
      return false;
    }
    byte[] em = toOctets(m, emLen);
    int hLen = hash.length();
    int sLen = hLen;
    // RFC 8017 §9.1.2, EMSA-PSS-VERIFY, steps 3–14.
    if (emLen < hLen + sLen + 2 || (em[emLen - 1] & 0xff) != 0xbc) {
      return false;
    }
    byte[] maskedDb = Arrays.copyOfRange(em, 0, emLen - hLen - 1);
    byte[] h = Arrays.copyOfRange(em, emLen - hLen - 1, emLen - 1);
    int topBits = 8 * emLen - emBits;
    if ((maskedDb[0] & (0xff << (8 - topBits)) & 0xff) != 0) {
      return false;
    }
    byte[] db = xor(maskedDb, mgf1(hash, h, maskedDb.length));
    db[0] &= (byte) (0xff >>> topBits);
    int psLength = emLen - hLen - sLen - 2;
    for (int i = 0; i < psLength; i++) {
      if (db[i] != 0) {
        return false;
      }
    }
    if (db[psLength] != 0x01) {
      return false;
    }
    byte[] salt = Arrays.copyOfRange(db, db.length - sLen, db.length);
    return MessageDigest.isEqual(h, mPrimeHash(hash, mHash, salt));
  }

  /** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with sLen = hLen. */
  private static byte[] encode(HashAlgorithm hash, byte[] mHash, byte[] salt, int emBits)
      throws GeneralSecurityException {
    int hLen = hash.length();
    int emLen = (emBits + 7) / 8;
    if (emLen < hLen + salt.length + 2) {
      throw new GeneralSecurityException("RSA key too short for RSA-PSS with " + hash);
    }
    byte[] h = mPrimeHash(hash, mHash, salt);
    byte[] db = new byte[emLen - hLen - 1];
    db[db.length - salt.length - 1] = 0x01;
    System.arraycopy(salt, 0, db, db.length - salt.length, salt.length);
    byte[] maskedDb = xor(db, mgf1(hash, h, db.length));
    maskedDb[0] &= (byte) (0xff >>> (8 * emLen - emBits));
    byte[] em = new byte[emLen];
    System.arraycopy(maskedDb, 0, em, 0, maskedDb.length);
    System.arraycopy(h, 0, em, maskedDb.length, hLen);
    em[emLen - 1] = (byte) 0xbc;
    return em;
  }

  /** H = Hash(0x00 × 8 ‖ mHash ‖ salt). */
  private static byte[] mPrimeHash(HashAlgorithm hash, byte[] mHash, byte[] salt)
      throws GeneralSecurityException {
    MessageDigest digest = digest(hash);
    digest.update(new byte[8]);
    digest.update(mHash);
    digest.update(salt);
    return digest.digest();
  }

  /** MGF1 (RFC 8017 §B.2.1). */
  private static byte[] mgf1(HashAlgorithm hash, byte[] seed, int length)
      throws GeneralSecurityException {
    MessageDigest digest = digest(hash);
    byte[] out = new byte[length];
    int done = 0;
    for (int counter = 0; done < length; counter++) {
      digest.update(seed);
      digest.update(
          new byte[] {
            (byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter
          });
      byte[] block = digest.digest();
      int take = Math.min(block.length, length - done);
      System.arraycopy(block, 0, out, done, take);
      done += take;
    }
    return out;
  }

  /** m^d mod n by the CRT, blinded: (m·r^e)^d · r^−1 = m^d (mod n). */
  private static BigInteger privateOperation(RSAPrivateCrtKey key, BigInteger m) {
    BigInteger n = key.getModulus();
    BigInteger r;
    do {
      r = new BigInteger(n.bitLength(), Fips.drbg());
    } while (r.signum() == 0 || r.compareTo(n) >= 0 || !r.gcd(n).equals(BigInteger.ONE));
    BigInteger blinded = m.multiply(r.modPow(key.getPublicExponent(), n)).mod(n);
    BigInteger p = key.getPrimeP();
    BigInteger q = key.getPrimeQ();
    BigInteger s1 = blinded.mod(p).modPow(key.getPrimeExponentP(), p);
    BigInteger s2 = blinded.mod(q).modPow(key.getPrimeExponentQ(), q);
    BigInteger h = key.getCrtCoefficient().multiply(s1.subtract(s2)).mod(p);
    BigInteger s = s2.add(h.multiply(q));
    return s.multiply(r.modInverse(n)).mod(n);
  }

  private static MessageDigest digest(HashAlgorithm hash) throws GeneralSecurityException {
    return MessageDigest.getInstance(FipsSignatures.jcaDigest(hash), Fips.PROVIDER);
  }

  private static void requireDigestLength(HashAlgorithm hash, byte[] mHash)
      throws GeneralSecurityException {
    if (mHash.length != hash.length()) {
      throw new GeneralSecurityException("digest length " + mHash.length + " for " + hash);
    }
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  /** I2OSP: big-endian, exactly {@code length} bytes. */
  private static byte[] toOctets(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    if (raw.length == length) {
      return raw;
    }
    byte[] out = new byte[length];
    if (raw.length > length) {
      System.arraycopy(raw, raw.length - length, out, 0, length);
    } else {
      System.arraycopy(raw, 0, out, length - raw.length, raw.length);
    }
    return out;
  }
}
