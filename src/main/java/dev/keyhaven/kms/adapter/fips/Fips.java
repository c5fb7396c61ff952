package dev.keyhaven.kms.adapter.fips;

import java.nio.ByteBuffer;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.fips.FipsDRBG;
import org.bouncycastle.crypto.fips.FipsSecureRandom;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;

/**
 * The one crypto provider, BouncyCastle FIPS, and its approved DRBG.
 *
 * <p>Approved-only mode is the JVM system property {@code
 * org.bouncycastle.fips.approved_only=true}, which must be set before the provider loads (the
 * {@code kms} launcher, surefire and the Lambda runtime settings set it). {@link
 * #requireApprovedOnlyMode()} makes startup fail without it.
 */
public final class Fips {
  /** The provider instance every primitive in this package uses. */
  public static final Provider PROVIDER = register();

  private static final AtomicLong INSTANTIATIONS = new AtomicLong();

  /**
   * Every DRBG this process draws from: one SP 800-90A Hash_DRBG (SHA-512, the provider's "DEFAULT"
   * construction) per thread, seeded from the module's default entropy source, and reseeded after a
   * snapshot restore ({@link SnapshotSafeDrbgs}; {@code function.SnapStartHooks} registers it).
   */
  public static final SnapshotSafeDrbgs DRBGS = new SnapshotSafeDrbgs(Fips::newDrbg, PROVIDER);

  private Fips() {}

  private static Provider register() {
    Provider existing = Security.getProvider("BCFIPS");
    if (existing != null) {
      return existing;
    }
    Provider provider = new BouncyCastleFipsProvider();
    Security.addProvider(provider);
    return provider;
  }

  /** The calling thread's approved DRBG (SP 800-90A), never the JDK default. */
  public static SecureRandom drbg() {
    return DRBGS.current();
  }

  /** A new Hash_DRBG; its nonce is unique in the process and random across processes. */
  static FipsSecureRandom newDrbg() {
    byte[] nonce =
        ByteBuffer.allocate(16 + 16)
            .putLong(INSTANTIATIONS.incrementAndGet())
            .putLong(System.nanoTime())
            .put(SecureRandom.getSeed(16))
            .array();
    return FipsDRBG.SHA512.fromDefaultEntropy().build(nonce, false);
  }

  public static byte[] randomBytes(int length) {
    byte[] out = new byte[length];
    drbg().nextBytes(out);
    return out;
  }

  public static boolean isApprovedOnlyMode() {
    return CryptoServicesRegistrar.isInApprovedOnlyMode();
  }

  /** Fails when the provider is not in approved-only mode. */
  public static void requireApprovedOnlyMode() {
    if (!isApprovedOnlyMode()) {
      throw new IllegalStateException(
          "BC-FIPS is not in approved-only mode: start the JVM with"
              + " -Dorg.bouncycastle.fips.approved_only=true");
    }
  }
}
