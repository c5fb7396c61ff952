package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.audit.ChainHash;
import jakarta.inject.Singleton;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/** The audit chain's link function with BC-FIPS SHA-256; one digest instance per thread. */
@Singleton
public final class FipsChainHash implements ChainHash {
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256", Fips.PROVIDER);
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("BC-FIPS SHA-256 unavailable", e);
            }
          });

  @Override
  public byte[] link(byte[] previous, long seq, byte[] canonical) {
    MessageDigest digest = SHA256.get();
    digest.update(previous);
    for (int shift = 56; shift >= 0; shift -= 8) {
      digest.update((byte) (seq >>> shift));
    }
    digest.update(canonical);
    return digest.digest();
  }
}
