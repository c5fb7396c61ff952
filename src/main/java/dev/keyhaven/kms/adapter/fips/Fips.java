package dev.keyhaven.kms.adapter.fips;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.fips.FipsDRBG;
import org.bouncycastle.crypto.util.BasicEntropySourceProvider;
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

  /**
   * Bumped when every thread's nonce DRBG must be rebuilt from fresh entropy before its next use:
   * after a process snapshot is restored ({@link #reseedNonceDrbgs()}).
   */
  private static final AtomicLong NONCE_GENERATION = new AtomicLong();

  /** Outputs after which a thread's nonce DRBG is rebuilt from fresh entropy anyway. */
  private static final int NONCE_OUTPUTS_PER_SEED = 1 << 20;

  /** A thread's nonce DRBG, the generation it was seeded in, and its outputs so far. */
  private static final class NonceDrbg {
    final SecureRandom random;
    final long generation;
    int outputs;

    NonceDrbg(long generation) {
      SecureRandom entropy = drbg();
      byte[] nonce = new byte[32];
      entropy.nextBytes(nonce);
      this.random =
          FipsDRBG.SHA512
              .fromEntropySource(new BasicEntropySourceProvider(entropy, true))
              .setSecurityStrength(256)
              .setEntropyBitsRequired(256)
              .build(nonce, false);
      this.generation = generation;
    }
  }

  private static final ThreadLocal<NonceDrbg> NONCE_DRBG = new ThreadLocal<>();

  private Fips() {}

  /**
   * The registered BCFIPS provider, registering it first if none is. One registered by another
   * class loader (tests run the service and plain unit tests in one JVM) is not used: its classes
   * are not this loader's, and the module's own type checks (an approved DRBG for a GCM IV) would
   * refuse this loader's objects. Such a process gets an unregistered instance of its own.
   */
  private static Provider register() {
    Provider existing = Security.getProvider("BCFIPS");
    if (existing instanceof BouncyCastleFipsProvider) {
      return existing;
    }
    if (existing != null) {
      return new BouncyCastleFipsProvider();
    }
    Provider provider = new BouncyCastleFipsProvider();
    Security.addProvider(provider);
    return provider;
  }

  /**
   * The calling thread's approved DRBG (SP 800-90A), never the JDK default: the provider's
   * DEFAULT, which reseeds from the entropy source on every call (prediction resistance). For
   * key material and every secret.
   */
  public static SecureRandom drbg() {
    return DRBG.get();
  }

  /**
   * The calling thread's approved DRBG for public values — GCM IVs, KDF nonces, salts: an SP
   * 800-90A Hash_DRBG (SHA-512, 256-bit strength) without prediction resistance, seeded from
   * {@link #drbg()} and rebuilt from it after {@value #NONCE_OUTPUTS_PER_SEED} outputs or {@link
   * #reseedNonceDrbgs()}. About a fifth of DEFAULT's cost per call (docs/performance.md); never
   * for secrets.
   */
  public static SecureRandom nonceDrbg() {
    NonceDrbg current = NONCE_DRBG.get();
    long generation = NONCE_GENERATION.get();
    if (current == null || current.generation != generation || ++current.outputs > NONCE_OUTPUTS_PER_SEED) {
      current = new NonceDrbg(generation);
      NONCE_DRBG.set(current);
    }
    return current.random;
  }

  /** {@code length} bytes of {@link #nonceDrbg()}: for public values only. */
  public static byte[] nonce(int length) {
    byte[] out = new byte[length];
    nonceDrbg().nextBytes(out);
    return out;
  }

  /**
   * Makes every thread rebuild its nonce DRBG from fresh entropy before its next output. Must run
   * when a process snapshot is restored (SnapStart, CRaC): restored copies of one snapshot would
   * otherwise continue one DRBG state, and so repeat each other's nonces.
   */
  public static void reseedNonceDrbgs() {
    NONCE_GENERATION.incrementAndGet();
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
