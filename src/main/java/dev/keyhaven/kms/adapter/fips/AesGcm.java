package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.error.KmsException;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM with a 96-bit IV and a 128-bit tag, through the FIPS provider.
 *
 * <p>Security guarantees: IND-CCA2; the associated data is authenticated, not encrypted. {@link
 * #open} fails with InvalidCiphertextException for any tampering and never says why. {@link #seal}
 * lets the provider draw the IV from its approved DRBG (BC-FJA security policy §2.2, "Enforcement
 * and Guidance for GCM IVs"); callers must still keep one key's invocations far below 2^32, which
 * per-request derived keys and the root key's low use do.
 */
public final class AesGcm {
  public static final int IV_LENGTH = 12;
  public static final int TAG_BITS = 128;

  /**
   * A cipher object per thread, initialized anew (key and IV) by every call: looking the
   * transformation up in the provider cost as much as the sealing itself (docs/performance.md).
   */
  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding", Fips.PROVIDER);
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES-GCM unavailable", e);
            }
          });

  private AesGcm() {}

  /** Encrypts; returns the IV the provider chose followed by ciphertext and tag. */
  public static byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData) {
    try {
      Cipher cipher = CIPHER.get();
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), Fips.drbg());
      cipher.updateAAD(associatedData);
      byte[] iv = cipher.getIV();
      if (iv.length != IV_LENGTH) {
        throw new IllegalStateException("provider chose a " + iv.length + "-byte GCM IV");
      }
      byte[] out = new byte[IV_LENGTH + cipher.getOutputSize(plaintext.length)];
      System.arraycopy(iv, 0, out, 0, IV_LENGTH);
      cipher.doFinal(plaintext, 0, plaintext.length, out, IV_LENGTH);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Decrypts {@code ciphertextAndTag} under {@code iv}. Any failure, including an IV that is not 96
   * bits, is InvalidCiphertextException.
   */
  public static byte[] open(byte[] key, byte[] iv, byte[] ciphertextAndTag, byte[] associatedData) {
    if (iv.length != IV_LENGTH || ciphertextAndTag.length < TAG_BITS / 8) {
      throw KmsException.invalidCiphertext();
    }
    try {
      Cipher cipher = CIPHER.get();
      cipher.init(
          Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(ciphertextAndTag);
    } catch (GeneralSecurityException e) {
      throw KmsException.invalidCiphertext();
    }
  }

  /**
   * Encrypts under a caller-chosen IV. Only for known-answer tests: production encryption goes
   * through {@link #seal}, which never lets a caller pick the IV.
   */
  static byte[] sealWithIvForKnownAnswerTest(
      byte[] key, byte[] iv, byte[] plaintext, byte[] associatedData)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", Fips.PROVIDER);
    cipher.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
    cipher.updateAAD(associatedData);
    return cipher.doFinal(plaintext);
  }
}
