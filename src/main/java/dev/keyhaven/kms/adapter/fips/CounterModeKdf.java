package dev.keyhaven.kms.adapter.fips;

import org.bouncycastle.crypto.KDFCalculator;
import org.bouncycastle.crypto.fips.FipsKDF;

/**
 * NIST SP 800-108 key derivation in counter mode with HMAC-SHA256 as the PRF, computed by the FIPS
 * module ({@code FipsKDF.COUNTER_MODE}).
 *
 * <p>Keyhaven derives every per-request data-encryption key with {@link #deriveKey}: a 32-bit
 * counter before the fixed input data {@code Label || 0x00 || Context || [L]_32} (SP 800-108r1 §4.1
 * and §5). {@link #derive} exposes the general form (counter before, between or after the fixed
 * data; 8–32-bit counter) so that the NIST ACVP vectors run through this same class.
 */
public final class CounterModeKdf {
  private static final FipsKDF.CounterModeFactory FACTORY = new FipsKDF.CounterModeFactory();

  private CounterModeKdf() {}

  /** A 256-bit key from {@code keyIn} for {@code label} and {@code context}. */
  public static byte[] deriveKey(byte[] keyIn, byte[] label, byte[] context) {
    int outBits = 256;
    byte[] fixed = new byte[label.length + 1 + context.length + 4];
    System.arraycopy(label, 0, fixed, 0, label.length);
    fixed[label.length] = 0x00;
    System.arraycopy(context, 0, fixed, label.length + 1, context.length);
    int at = fixed.length - 4;
    fixed[at] = (byte) (outBits >>> 24);
    fixed[at + 1] = (byte) (outBits >>> 16);
    fixed[at + 2] = (byte) (outBits >>> 8);
    fixed[at + 3] = (byte) outBits;
    return derive(keyIn, 32, new byte[0], fixed, outBits / 8);
  }

  /**
   * The general counter-mode KDF: PRF input is {@code fixedPrefix || [i]_r || fixedSuffix}.
   *
   * @param counterBits r, the counter length in bits (8, 16, 24 or 32)
   */
  public static byte[] derive(
      byte[] keyIn, int counterBits, byte[] fixedPrefix, byte[] fixedSuffix, int outBytes) {
    KDFCalculator<FipsKDF.CounterModeParameters> kdf =
        FACTORY.createKDFCalculator(
            FipsKDF.COUNTER_MODE
                .withPRFAndR(FipsKDF.PRF.SHA256_HMAC, counterBits)
                .using(keyIn, fixedPrefix, fixedSuffix));
    byte[] out = new byte[outBytes];
    kdf.generateBytes(out);
    return out;
  }
}
