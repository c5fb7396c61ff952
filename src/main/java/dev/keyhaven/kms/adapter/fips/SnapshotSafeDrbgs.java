package dev.keyhaven.kms.adapter.fips;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.bouncycastle.crypto.fips.FipsSecureRandom;
import org.crac.Context;
import org.crac.Resource;

/**
 * The approved DRBGs, one per thread, made safe for snapshots.
 *
 * <p>Contract: after {@link #afterRestore} (a Lambda SnapStart or CRaC restore; this class is the
 * {@link Resource} registered for it), no DRBG of this set gives out a byte before it has been
 * reseeded (SP 800-90A Reseed) with fresh entropy from its entropy source and, as additional input,
 * bytes read from the operating system at that moment ({@code /dev/urandom}) and the monotonic
 * clock. Every copy restored from one snapshot starts with identical DRBG states; without the
 * reseed, two copies would hand out identical data keys, random bytes and AES-GCM IVs. A thread
 * reseeds its own DRBG on its first use after the restore (the restore hook cannot reach other
 * threads' instances), so the reseed costs nothing on the restore path itself; a DRBG first
 * instantiated after a restore is reseeded on its first use too.
 */
public final class SnapshotSafeDrbgs implements Resource {
  private static final Path OS_RANDOM = Path.of("/dev/urandom");
  private static final int ADDITIONAL_INPUT_BYTES = 32;

  private final AtomicLong restores = new AtomicLong();
  private final ThreadLocal<Holder> perThread;

  /** A thread's DRBG, what callers get of it, and the restore count it was last reseeded at. */
  private static final class Holder {
    final FipsSecureRandom drbg;
    final SecureRandom view;
    long restore;

    Holder(FipsSecureRandom drbg, Provider provider) {
      this.drbg = drbg;
      this.view = provider == null ? drbg : new ProviderView(drbg, provider);
    }
  }

  /**
   * The DRBG as a {@code SecureRandom} of {@code provider}. The module accepts a random for
   * approved operations (a GCM IV, a signature) when it is its own {@code FipsSecureRandom} or a
   * {@code SecureRandom} of the registered BC-FIPS provider; the view keeps the second true even
   * when that provider was registered from another class loader (Quarkus dev-mode reloads, a
   * {@code @QuarkusTest} before a plain test in one JVM).
   */
  private static final class ProviderView extends SecureRandom {
    ProviderView(FipsSecureRandom drbg, Provider provider) {
      super(
          new SecureRandomSpi() {
            @Override
            protected void engineSetSeed(byte[] seed) {
              drbg.setSeed(seed);
            }

            @Override
            protected void engineNextBytes(byte[] bytes) {
              drbg.nextBytes(bytes);
            }

            @Override
            protected byte[] engineGenerateSeed(int numBytes) {
              return drbg.generateSeed(numBytes);
            }
          },
          provider);
    }
  }

  /**
   * {@code factory} instantiates one DRBG (called once per thread); {@link #current} hands it out
   * as a {@code SecureRandom} of {@code provider}, or as itself when {@code provider} is null.
   */
  public SnapshotSafeDrbgs(Supplier<FipsSecureRandom> factory, Provider provider) {
    // A DRBG instantiated after a restore is reseeded on its first use as well: its entropy
    // source may itself carry state from the snapshot.
    this.perThread = ThreadLocal.withInitial(() -> new Holder(factory.get(), provider));
  }

  /** The calling thread's DRBG, reseeded first if a restore happened since its last use. */
  public SecureRandom current() {
    Holder holder = perThread.get();
    long now = restores.get();
    if (holder.restore != now) {
      holder.drbg.reseed(freshInput());
      holder.restore = now;
    }
    return holder.view;
  }

  /** How many restores this set has seen. */
  public long restores() {
    return restores.get();
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    // Nothing to drop: a DRBG's state is only dangerous once it exists twice, after the restore.
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    restores.incrementAndGet();
  }

  /** Additional input that differs between two copies of one snapshot. */
  private static byte[] freshInput() {
    byte[] os = new byte[ADDITIONAL_INPUT_BYTES];
    try (InputStream in = Files.newInputStream(OS_RANDOM)) {
      if (in.readNBytes(os, 0, os.length) != os.length) {
        throw new IOException("short read");
      }
    } catch (IOException e) {
      // No /dev/urandom (not Linux): the JDK's own seed source, read now.
      os = SecureRandom.getSeed(ADDITIONAL_INPUT_BYTES);
    }
    return ByteBuffer.allocate(os.length + Long.BYTES).put(os).putLong(System.nanoTime()).array();
  }
}
