package dev.keyhaven.kms.domain.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret bytes: key material, a data key, a plaintext. No {@code toString}, {@code equals} or
 * {@code hashCode} of its own that could print or compare it by accident; equality only through the
 * constant-time {@link #equalsConstantTime}.
 *
 * <p>The bytes are read out only through {@link #exposeForCrypto()}, a name that shows in grep.
 * {@link #wipe()} zeroes them; a wiped value must not be used again.
 */
public final class SecretBytes {
  private final byte[] bytes;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes ownership of {@code bytes} (no copy): the caller must not keep using the array. */
  public static SecretBytes adopt(byte[] bytes) {
    return new SecretBytes(bytes);
  }

  public int length() {
    return bytes.length;
  }

  /** The live array, for a cryptographic primitive. Never log, store or return it. */
  public byte[] exposeForCrypto() {
    return bytes;
  }

  public boolean equalsConstantTime(SecretBytes other) {
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  public void wipe() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes]";
  }
}
