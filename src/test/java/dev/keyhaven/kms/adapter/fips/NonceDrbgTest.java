package dev.keyhaven.kms.adapter.fips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The nonce DRBG ({@link Fips#nonceDrbg()}): one per thread, an approved BC-FIPS DRBG, rebuilt
 * from fresh entropy after {@link Fips#reseedNonceDrbgs()} (what a snapshot restore must call),
 * and its outputs never repeat — across calls, threads and reseeds.
 */
class NonceDrbgTest {

  @Test
  void oneApprovedDrbgPerThread_keptUntilReseeded() throws Exception {
    SecureRandom mine = Fips.nonceDrbg();
    assertSame(mine, Fips.nonceDrbg());
    assertTrue(
        mine.getClass().getName().startsWith("org.bouncycastle.crypto.fips."),
        "not a BC-FIPS DRBG: " + mine.getClass());
    SecureRandom other;
    var executor = Executors.newSingleThreadExecutor();
    try {
      Future<SecureRandom> theirs = executor.submit(Fips::nonceDrbg);
      other = theirs.get();
    } finally {
      executor.shutdownNow();
    }
    assertNotSame(mine, other);

    Fips.reseedNonceDrbgs();
    assertNotSame(mine, Fips.nonceDrbg(), "a reseed must replace the thread's DRBG");
  }

  @Test
  void noncesNeverRepeat_acrossReseedsAndThreads() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < 2_000; i++) {
        assertTrue(seen.add(HexFormat.of().formatHex(Fips.nonce(12))), "a 96-bit nonce repeated");
      }
      Fips.reseedNonceDrbgs();
    }
    var executor = Executors.newFixedThreadPool(2);
    try {
      var a = executor.submit(() -> Fips.nonce(32));
      var b = executor.submit(() -> Fips.nonce(32));
      assertTrue(seen.add(HexFormat.of().formatHex(a.get())));
      assertTrue(seen.add(HexFormat.of().formatHex(b.get())));
    } finally {
      executor.shutdownNow();
    }
    assertEquals(8_002, seen.size());
  }
}
