package dev.keyhaven.kms.adapter.fips;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;

/**
 * The one crypto provider, BouncyCastle FIPS, and its approved DRBG.
 *
 * <p>Approved-only mode is the JVM system property {@code org.bouncycastle.fips.approved_only=true},
 * which must be set before the provider loads (the {@code kms} launcher, surefire and the Lambda
 * runtime settings set it). {@link #requireApprovedOnlyMode()} makes startup fail without it.
 */
public final class Fips {
  /** The provider instance every primitive in this package uses. */
  public static final Provider PROVIDER = register();

  private static final ThreadLocal<SecureRandom> DRBG =
      ThreadLocal.withInitial(
          () -> {
            try {
              return SecureRandom.getInstance("DEFAULT", PROVIDER);
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("BC-FIPS DRBG unavailable", e);
            }
          });

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
    return DRBG.get();
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
