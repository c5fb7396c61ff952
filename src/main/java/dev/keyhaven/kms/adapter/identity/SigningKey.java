package dev.keyhaven.kms.adapter.identity;

import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One derived SigV4 signing key ({@code kSigning}) together with BC-FIPS HMAC-SHA256 instances
 * already initialised with it.
 *
 * <p>Why: initialising a BC-FIPS HMAC creates and later destroys native SHA-256 state (≈ 15 µs
 * here), computing one over a string to sign costs ≈ 1 µs. {@code Mac.doFinal} leaves a Mac
 * initialised with the same key, so a keyed Mac can serve any number of signatures.
 *
 * <p>Thread safety: a signature borrows an idle Mac (or initialises a new one), uses it on the
 * calling thread only and returns it; the hand-over goes through this object's lock, so no Mac is
 * ever used by two threads at once. At most {@link #MAX_IDLE} idle Macs are kept (one per thread
 * that signed with this key concurrently, in practice the event-loop threads).
 *
 * <p>Lifecycle: {@link #wipe} (eviction from {@link SigningKeyCache}) zeroes the key bytes and
 * drops the idle Macs; a Mac in use at that moment finishes its signature and is then dropped.
 * After {@link #wipe}, {@link #sign} answers null, and the caller looks the key up again.
 */
final class SigningKey {
  static final String HMAC = "HmacSHA256";
  static final String PROVIDER = "BCFIPS";
  static final int MAX_IDLE = 16;

  private final byte[] key;
  private final Deque<Mac> idle = new ArrayDeque<>();
  private boolean wiped;

  /** Takes ownership of {@code key}; it is zeroed by {@link #wipe}. */
  SigningKey(byte[] key) {
    this.key = key;
  }

  /**
   * HMAC-SHA256 of {@code data} under this key, or null when the key was wiped meanwhile.
   *
   * @throws IllegalStateException when BC-FIPS cannot provide HMAC-SHA256
   */
  byte[] sign(byte[] data) {
    Mac mac = borrow();
    if (mac == null) {
      return null;
    }
    byte[] signature = mac.doFinal(data);
    giveBack(mac);
    return signature;
  }

  /** A copy of the key bytes (for known-answer tests; the service only signs with it). */
  synchronized byte[] encoded() {
    return key.clone();
  }

  /** How many initialised Macs wait for the next signature. */
  synchronized int idleMacs() {
    return idle.size();
  }

  /** Zeroes the key and forgets the idle Macs; later {@link #sign} calls answer null. */
  synchronized void wipe() {
    wiped = true;
    Arrays.fill(key, (byte) 0);
    idle.clear();
  }

  private Mac borrow() {
    SecretKeySpec spec;
    synchronized (this) {
      if (wiped) {
        return null;
      }
      Mac ready = idle.pollFirst();
      if (ready != null) {
        return ready;
      }
      spec = new SecretKeySpec(key, HMAC); // a copy, so initialising needs no lock
    }
    try {
      Mac mac = Mac.getInstance(HMAC, PROVIDER);
      mac.init(spec);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(HMAC + " of " + PROVIDER + " unusable", e);
    }
  }

  private synchronized void giveBack(Mac mac) {
    if (!wiped && idle.size() < MAX_IDLE) {
      idle.addFirst(mac);
    }
  }
}
