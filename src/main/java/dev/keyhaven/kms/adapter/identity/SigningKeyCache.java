package dev.keyhaven.kms.adapter.identity;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SigV4 signing keys (AWS General Reference, "Create a signed AWS API request", step 4
 * "Calculate the signature"): {@code kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date),
 * region), service), "aws4_request")}, derived once per (access key id, date, region, service) and
 * kept in a bounded LRU map.
 *
 * <p>An entry also holds the SHA-256 of the secret it was derived from, so a rotated secret is
 * never answered with a stale key. A cached key keeps its HMAC instances initialised ({@link
 * SigningKey}), so a request's signature costs no HMAC initialisation. Evicted or replaced keys are
 * wiped. Thread-safe.
 */
final class SigningKeyCache {
  static final String HMAC = SigningKey.HMAC;
  static final String PROVIDER = SigningKey.PROVIDER;

  // Provider look-ups are a large part of a verification's cost: one instance per thread, reused
  // (a MessageDigest resets after digest(); the derivation Mac is re-initialised with each key).
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(() -> instance("SHA-256"));
  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(SigningKeyCache::newMac);

  /** SHA-256 through the per-thread BC-FIPS instance. */
  static byte[] sha256(byte[] data) {
    return SHA256.get().digest(data);
  }

  private static MessageDigest instance(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm, PROVIDER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " unavailable from " + PROVIDER, e);
    }
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance(HMAC, PROVIDER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(HMAC + " unavailable from " + PROVIDER, e);
    }
  }

  private record Entry(byte[] secretDigest, SigningKey signingKey) {}

  /** Shortest HMAC key BC-FIPS accepts in approved-only mode (112 bits). */
  private static final int FIPS_MIN_HMAC_KEY_BYTES = 14;

  /** Look-ups of a signature's key before giving up (each one after a wipe in between). */
  private static final int MAX_ATTEMPTS = 3;

  private final Map<String, Entry> entries;
  private final AtomicLong derivations = new AtomicLong();
  private final boolean developmentSecrets;

  SigningKeyCache(int maxEntries) {
    this(maxEntries, false);
  }

  /**
   * @param developmentSecrets derive keys for secrets too short for approved-only HMAC (the
   *     well-known {@code test} secret of local mode): the first derivation step, keyed with {@code
   *     "AWS4" + secret}, then runs on the JDK's HMAC; every later step and the request signature
   *     stay on BC-FIPS
   */
  SigningKeyCache(int maxEntries, boolean developmentSecrets) {
    this.developmentSecrets = developmentSecrets;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            if (size() <= maxEntries) {
              return false;
            }
            eldest.getValue().signingKey().wipe();
            return true;
          }
        };
  }

  /**
   * The SigV4 signature (HMAC-SHA256 under this scope's signing key) of {@code stringToSign}. A key
   * wiped between look-up and use (evicted, or replaced by a concurrent derivation) is looked up
   * again.
   *
   * @throws GeneralSecurityException when the signing key cannot be derived
   */
  byte[] signature(
      String accessKeyId,
      SecretBytes secret,
      String date,
      String region,
      String service,
      byte[] stringToSign)
      throws GeneralSecurityException {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      byte[] signature = signingKey(accessKeyId, secret, date, region, service).sign(stringToSign);
      if (signature != null) {
        return signature;
      }
    }
    throw new IllegalStateException("signing key of " + accessKeyId + " evicted on every attempt");
  }

  /** The signing key for this scope: cached, or derived and cached. */
  SigningKey signingKey(
      String accessKeyId, SecretBytes secret, String date, String region, String service)
      throws GeneralSecurityException {
    String id = accessKeyId + '/' + date + '/' + region + '/' + service;
    byte[] digest = sha256(secret.exposeForCrypto());
    synchronized (entries) {
      Entry cached = entries.get(id);
      if (cached != null && MessageDigest.isEqual(cached.secretDigest(), digest)) {
        return cached.signingKey();
      }
    }
    SigningKey key = new SigningKey(derive(secret, date, region, service));
    synchronized (entries) {
      Entry previous = entries.put(id, new Entry(digest, key));
      if (previous != null) {
        previous.signingKey().wipe();
      }
      return key;
    }
  }

  /** How many keys were derived so far (a key served from the map is not derived again). */
  long derivations() {
    return derivations.get();
  }

  private byte[] derive(SecretBytes secret, String date, String region, String service)
      throws GeneralSecurityException {
    derivations.incrementAndGet();
    byte[] prefix = "AWS4".getBytes(StandardCharsets.US_ASCII);
    byte[] raw = secret.exposeForCrypto();
    byte[] initial = new byte[prefix.length + raw.length];
    System.arraycopy(prefix, 0, initial, 0, prefix.length);
    System.arraycopy(raw, 0, initial, prefix.length, raw.length);
    byte[] key = initial;
    for (String step : new String[] {date, region, service, SigV4Authorization.TERMINATOR}) {
      byte[] next =
          developmentSecrets && key.length < FIPS_MIN_HMAC_KEY_BYTES
              ? jdkHmac(key, step)
              : hmac(key, step);
      Arrays.fill(key, (byte) 0);
      key = next;
    }
    return key;
  }

  private static byte[] jdkHmac(byte[] key, String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance(HMAC, "SunJCE");
    mac.init(new SecretKeySpec(key, HMAC));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  /** HMAC-SHA256 of a UTF-8 string; zeroes nothing, the caller owns both arrays. */
  private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
    Mac mac = MAC.get();
    mac.init(new SecretKeySpec(key, HMAC));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
