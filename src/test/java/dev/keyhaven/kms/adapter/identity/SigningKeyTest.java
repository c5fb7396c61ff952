package dev.keyhaven.kms.adapter.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.adapter.fips.Fips;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A signing key's reused HMAC instances give exactly what a fresh, independent HMAC gives ({@link
 * SpecSigner#hmac}, the JDK's SunJCE), on one thread or many, and nothing is signed after a wipe.
 */
class SigningKeyTest {
  private static final int THREADS = 8;
  private static final int SIGNATURES_PER_THREAD = 400;

  @BeforeAll
  static void registerProvider() {
    Fips.PROVIDER.getName();
  }

  private static byte[] key(int seed) {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (seed * 31 + i);
    }
    return key;
  }

  private static String message(int thread, int i) {
    return "AWS4-HMAC-SHA256\n20260314T092653Z\n" + thread + "/" + i;
  }

  private static byte[] signed(SigningKey key, String message) {
    return key.sign(message.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sign_repeatedWithDifferentData_eachEqualsAFreshHmac() {
    SigningKey key = new SigningKey(key(1));
    for (int i = 0; i < 50; i++) {
      assertArrayEquals(
          SpecSigner.hmac(key(1), message(0, i)), signed(key, message(0, i)), "#" + i);
    }
    assertEquals(1, key.idleMacs());
  }

  @Test
  void sign_twoKeysInterleaved_neverMixed() {
    SigningKey first = new SigningKey(key(1));
    SigningKey second = new SigningKey(key(2));
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(SpecSigner.hmac(key(1), message(0, i)), signed(first, message(0, i)));
      assertArrayEquals(SpecSigner.hmac(key(2), message(0, i)), signed(second, message(0, i)));
    }
  }

  @Test
  void sign_manyThreadsAtOnce_everySignatureCorrectAndIdleMacsBounded() throws Exception {
    SigningKey key = new SigningKey(key(3));
    byte[][][] expected = new byte[THREADS][SIGNATURES_PER_THREAD][];
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < SIGNATURES_PER_THREAD; i++) {
        expected[t][i] = SpecSigner.hmac(key(3), message(t, i));
      }
    }
    List<String> wrong =
        Concurrently.wrongAnswers(
            THREADS,
            (thread, mismatches) -> {
              for (int i = 0; i < SIGNATURES_PER_THREAD; i++) {
                if (!Arrays.equals(expected[thread][i], signed(key, message(thread, i)))) {
                  mismatches.add(thread + "/" + i);
                }
              }
            });
    assertEquals(List.of(), wrong);
    int idle = key.idleMacs();
    assertTrue(idle >= 1 && idle <= Math.min(THREADS, SigningKey.MAX_IDLE), "idle Macs: " + idle);
  }

  @Test
  void wipe_keyZeroedAndNothingSignedAfter() {
    SigningKey key = new SigningKey(key(4));
    signed(key, message(0, 0));
    key.wipe();
    assertArrayEquals(new byte[32], key.encoded());
    assertEquals(0, key.idleMacs());
    assertNull(signed(key, message(0, 1)));
  }
}
