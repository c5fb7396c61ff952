package dev.keyhaven.kms.adapter.fips;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.keyhaven.kms.function.SnapStartHooks;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bouncycastle.crypto.EntropySource;
import org.bouncycastle.crypto.EntropySourceProvider;
import org.bouncycastle.crypto.fips.FipsAES;
import org.bouncycastle.crypto.fips.FipsDRBG;
import org.crac.Context;
import org.crac.Resource;
import org.junit.jupiter.api.Test;

/**
 * Lambda SnapStart restores many execution environments from one snapshot: every copy starts with
 * the same DRBG state. Simulated here with the CRaC hook API: two DRBG sets built from the same
 * (fixed) entropy and nonce are two copies of one snapshot — the control shows they hand out the
 * same bytes and the same AES-GCM IV — then each goes through checkpoint and restore in a CRaC
 * context of its own, with the hooks {@link SnapStartHooks} registers, and they no longer agree.
 */
class SnapshotRestoreTest {
  private static final byte[] NONCE = "snapshot-nonce-0".getBytes();

  /**
   * Entropy that every copy of the snapshot sees identically: a fixed pseudo-random stream (not a
   * constant, which the module's continuous health tests reject — and then the whole module stays
   * in its error state).
   */
  private static final EntropySourceProvider FROZEN =
      bits ->
          new EntropySource() {
            private final Random stream = new Random(20261207L);

            @Override
            public boolean isPredictionResistant() {
              return false;
            }

            @Override
            public byte[] getEntropy() {
              byte[] out = new byte[(bits + 7) / 8];
              stream.nextBytes(out);
              return out;
            }

            @Override
            public int entropySize() {
              return bits;
            }
          };

  /** One copy of the snapshot: its own DRBG set, identical in state to every other copy. */
  private static SnapshotSafeDrbgs copyOfSnapshot() {
    return new SnapshotSafeDrbgs(
        () -> FipsDRBG.SHA512.fromEntropySource(FROZEN).build(NONCE, false), null);
  }

  /** A CRaC context as the JDK's: checkpoint in reverse registration order, restore in order. */
  private static final class SimulatedCrac extends Context<Resource> {
    final List<Resource> resources = new ArrayList<>();

    @Override
    public void register(Resource resource) {
      resources.add(resource);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).beforeCheckpoint(this);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
      for (Resource r : resources) {
        try {
          r.afterRestore(this);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  private static byte[] bytes(SecureRandom random) {
    byte[] out = new byte[32];
    random.nextBytes(out);
    return out;
  }

  /**
   * The 96-bit IV the module draws for AES-GCM from {@code random} — the call the JCA cipher makes
   * when {@link AesGcm#seal} passes it {@code Fips.drbg()} (module API directly: after a
   * {@code @QuarkusTest} the registered provider's classes come from another class loader).
   */
  private static byte[] gcmIv(SecureRandom random) {
    return FipsAES.GCM.withIV(random).getIV();
  }

  @Test
  void twoCopiesOfOneSnapshot_agreeBeforeTheRestore_andDifferAfter() {
    Fips.PROVIDER.getName();
    SnapshotSafeDrbgs a = copyOfSnapshot();
    SnapshotSafeDrbgs b = copyOfSnapshot();
    // The hazard: identical state, identical random bytes and GCM IVs.
    assertArrayEquals(bytes(a.current()), bytes(b.current()));
    assertArrayEquals(gcmIv(a.current()), gcmIv(b.current()));

    for (SnapshotSafeDrbgs copy : List.of(a, b)) {
      SimulatedCrac crac = new SimulatedCrac();
      crac.register(copy);
      crac.beforeCheckpoint(null);
      crac.afterRestore(null);
      assertEquals(1, copy.restores());
    }
    assertFalse(Arrays.equals(bytes(a.current()), bytes(b.current())), "random bytes");
    assertFalse(Arrays.equals(gcmIv(a.current()), gcmIv(b.current())), "GCM IVs");
  }

  @Test
  void everyThread_reseedsOnItsFirstUseAfterTheRestore() throws Exception {
    SnapshotSafeDrbgs a = copyOfSnapshot();
    SnapshotSafeDrbgs b = copyOfSnapshot();
    SimulatedCrac crac = new SimulatedCrac();
    crac.register(a);
    crac.register(b);
    crac.beforeCheckpoint(null);
    crac.afterRestore(null);
    // A thread that never drew before the restore still starts from the snapshot's state, and
    // is reseeded on first use like the others.
    byte[][] drawn = new byte[2][];
    Thread worker =
        new Thread(
            () -> {
              drawn[0] = bytes(a.current());
              drawn[1] = bytes(b.current());
            });
    worker.start();
    worker.join();
    assertFalse(Arrays.equals(drawn[0], drawn[1]));
  }

  @Test
  void theProductionHooks_areTheProcesssDrbgs() {
    Resource credentials = new NoHook();
    Resource connections = new NoHook();
    Resource auditLease = new NoHook();
    SnapStartHooks hooks = new SnapStartHooks(credentials, connections, auditLease);
    SimulatedCrac crac = new SimulatedCrac();
    hooks.register(crac);
    assertEquals(List.of(Fips.DRBGS, credentials, connections, auditLease), crac.resources);
    SecureRandom before = Fips.drbg();
    long restores = Fips.DRBGS.restores();
    crac.beforeCheckpoint(null);
    crac.afterRestore(null);
    assertEquals(restores + 1, Fips.DRBGS.restores());
    // The same instance, reseeded in place: callers holding it are covered too.
    assertSame(before, Fips.drbg());
  }

  private static final class NoHook implements Resource {
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {}

    @Override
    public void afterRestore(Context<? extends Resource> context) {}
  }
}
