package dev.keyhaven.kms.adapter.fips;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import org.bouncycastle.crypto.internal.Digest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519ph (HashEdDSA, RFC 8032 §5.1 with phflag 1 and an empty context) over PH(M), the SHA-512
 * digest the caller computed: Sign/Verify with ED25519_PH_SHA_512, which AWS KMS accepts only with
 * MessageType DIGEST (AWS KMS API Reference, CreateKey KeySpec note on ECC_NIST_EDWARDS25519). The
 * signature equals Ed25519ph of the message M whose digest was sent, so any RFC 8032 verifier of
 * Ed25519ph over M accepts it.
 *
 * <p><b>Not a FIPS-approved service.</b> The module's approved Ed25519ph ({@code Ed25519ph}
 * signature, {@code FipsEdEC.Ed25519ph}) always computes PH(M) itself from the message, and AWS
 * never sends the message here. So this class calls the module's own RFC 8032 arithmetic ({@code
 * org.bouncycastle.math.ec.rfc8032.Ed25519#signPrehash} / {@code verifyPrehash}) with the caller's
 * digest: module code, but entered below its service boundary. Its internal SHA-512 (nonce and
 * challenge hashes) is the module's approved SHA-512. The result is checked against the module's
 * approved Ed25519ph over the message in FipsCapabilitiesTest and against RFC 8032 §7.3 in
 * Ed25519VectorsTest, and {@code kms.fips.prehashed-ed25519=false} turns it off (docs/fips.md).
 */
final class PrehashedEd25519 {
  private static final byte[] NO_CONTEXT = new byte[0];

  private PrehashedEd25519() {}

  /** The 64-byte Ed25519ph signature of the 32-byte private key {@code seed} over {@code ph}. */
  static byte[] sign(byte[] seed, byte[] ph) throws GeneralSecurityException {
    requireDigest(ph);
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    arithmetic().signPrehash(seed, 0, NO_CONTEXT, ph, 0, signature, 0);
    return signature;
  }

  /** Whether {@code signature} is a valid Ed25519ph signature of {@code ph} by {@code point}. */
  static boolean verify(byte[] point, byte[] ph, byte[] signature) {
    if (ph.length != Ed25519.PREHASH_SIZE
        || point.length != Ed25519.PUBLIC_KEY_SIZE
        || signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    return arithmetic().verifyPrehash(signature, 0, point, 0, NO_CONTEXT, ph, 0);
  }

  private static void requireDigest(byte[] ph) throws GeneralSecurityException {
    if (ph.length != Ed25519.PREHASH_SIZE) {
      throw new GeneralSecurityException("Ed25519ph signs a 64-byte SHA-512 digest");
    }
  }

  /** RFC 8032 Ed25519 arithmetic whose SHA-512 is the module's approved SHA-512. */
  private static Ed25519 arithmetic() {
    return new Ed25519() {
      @Override
      protected Digest createDigest() {
        return new ModuleSha512();
      }
    };
  }

  /** The module's SHA-512 (JCA, approved) behind the arithmetic's digest interface. */
  private static final class ModuleSha512 implements Digest {
    private final MessageDigest sha512;

    ModuleSha512() {
      try {
        sha512 = MessageDigest.getInstance("SHA-512", Fips.PROVIDER);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("SHA-512 unavailable", e);
      }
    }

    @Override
    public String getAlgorithmName() {
      return "SHA-512";
    }

    @Override
    public int getDigestSize() {
      return 64;
    }

    @Override
    public int getByteLength() {
      return 128;
    }

    @Override
    public void update(byte in) {
      sha512.update(in);
    }

    @Override
    public void update(byte[] in, int offset, int length) {
      sha512.update(in, offset, length);
    }

    @Override
    public int doFinal(byte[] out, int offset) {
      try {
        return sha512.digest(out, offset, 64);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void reset() {
      sha512.reset();
    }
  }
}
