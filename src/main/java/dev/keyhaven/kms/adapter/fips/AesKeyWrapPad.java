package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.error.KmsException;
import java.security.GeneralSecurityException;
import java.security.Key;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES Key Wrap with Padding (NIST SP 800-38F KWP, RFC 5649) through the FIPS provider: the
 * symmetric half of the RSA_AES_KEY_WRAP_* import wrapping algorithms.
 *
 * <p>Security guarantees: deterministic authenticated encryption of key material. {@link #unwrap}
 * fails with InvalidCiphertextException for any tampering or bad padding, with one error for every
 * cause (no padding oracle).
 */
public final class AesKeyWrapPad {
  private AesKeyWrapPad() {}

  public static byte[] wrap(byte[] kek, byte[] keyData) {
    try {
      Cipher cipher = Cipher.getInstance("AESKWP", Fips.PROVIDER);
      cipher.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
      return cipher.wrap(new SecretKeySpec(keyData, "GENERIC"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-KWP wrap failed", e);
    }
  }

  public static byte[] unwrap(byte[] kek, byte[] wrapped) {
    try {
      Cipher cipher = Cipher.getInstance("AESKWP", Fips.PROVIDER);
      cipher.init(Cipher.UNWRAP_MODE, new SecretKeySpec(kek, "AES"));
      Key key = cipher.unwrap(wrapped, "GENERIC", Cipher.SECRET_KEY);
      return key.getEncoded();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw KmsException.invalidCiphertext();
    }
  }
}
