package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.crypto.CiphertextBlob;
import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.operation.port.KeyMaterialWrapping;
import dev.keyhaven.kms.operation.port.MaterialFingerprint;
import dev.keyhaven.kms.operation.port.RandomSource;
import dev.keyhaven.kms.operation.port.RootOfTrust;
import dev.keyhaven.kms.operation.port.RowBinding;
import dev.keyhaven.kms.operation.port.SecretWrapping;
import dev.keyhaven.kms.operation.port.ServiceMetrics;
import dev.keyhaven.kms.operation.port.SymmetricCrypto;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;

/**
 * The approved DRBG and everything keyed by the root key, with BC-FIPS in approved-only mode, in
 * one bean that CDI offers as each of its ports: {@link RandomSource}, {@link KeyMaterialWrapping},
 * {@link SymmetricCrypto}, {@link SecretWrapping}, {@link RowBinding}, {@link MaterialFingerprint}
 * and {@link RootOfTrust}.
 *
 * <p>Key hierarchy (docs/key-hierarchy.md): root key → (AES-256-GCM, AAD binds key id and version)
 * → key material version → (SP 800-108 KDF with a fresh 256-bit nonce) → one-time data encryption
 * key → (AES-256-GCM, AAD = blob header and encryption context) → ciphertext. The root key is the
 * configured secret or, with an HSM root of trust, the domain key the HSM key seals ({@link
 * RootOfTrust}, {@link RootOfTrustState}).
 */
@ApplicationScoped
public class FipsKeyMaterialCrypto
    implements RandomSource,
        KeyMaterialWrapping,
        SymmetricCrypto,
        SecretWrapping,
        RowBinding,
        MaterialFingerprint,
        RootOfTrust,
        ServiceMetrics.Readings {
  private static final byte[] WRAP_LABEL =
      "keyhaven:material-wrap:v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA_KEY_LABEL =
      "keyhaven:data-key:v1".getBytes(StandardCharsets.US_ASCII);
  private static final String SECRET_LABEL = "keyhaven:secret-wrap:v1:";
  private static final byte[] FINGERPRINT_LABEL =
      "keyhaven:import-fingerprint:v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BINDING_LABEL =
      "keyhaven:row-binding:v1".getBytes(StandardCharsets.US_ASCII);

  private final RootOfTrustState root;
  private final MaterialCache cache;

  FipsKeyMaterialCrypto(KmsConfig config, Clock clock) {
    Fips.requireApprovedOnlyMode();
    this.root = new RootOfTrustState(config);
    this.cache =
        new MaterialCache(config.materialCacheMaxEntries(), clock, config.materialCacheIdle());
  }

  @Override
  public java.util.List<Reading> readings() {
    return java.util.List.of(
        Reading.counter(
            "kms.material.cache.hits", "Unwrapped key material found in memory", cache::hits),
        Reading.counter(
            "kms.material.cache.misses",
            "Key material unwrapped under the root key because it was not in memory",
            cache::misses),
        Reading.gauge(
            "kms.material.cache.entries",
            "Key material versions held unwrapped in memory",
            cache::size));
  }

  @Override
  public SecretBytes newSymmetricMaterial() {
    return SecretBytes.adopt(Fips.randomBytes(32));
  }

  @Override
  public byte[] randomBytes(int length) {
    return Fips.randomBytes(length);
  }

  @Override
  public WrappedKeyMaterial wrap(
      UUID keyId, int version, String keyMaterialId, SecretBytes material) {
    byte[] wrapped =
        AesGcm.seal(
            root.key().exposeForCrypto(), material.exposeForCrypto(), wrapAad(keyId, version));
    return new WrappedKeyMaterial(version, keyMaterialId, wrapped);
  }

  @Override
  public SecretBytes cachedMaterial(UUID keyId, int version) {
    return cache.get(keyId, version);
  }

  @Override
  public void forget(UUID keyId) {
    cache.forget(keyId);
  }

  @Override
  public SecretBytes unwrap(UUID keyId, WrappedKeyMaterial wrapped) {
    SecretBytes cached = cache.get(keyId, wrapped.version());
    if (cached != null) {
      return cached;
    }
    byte[] blob = wrapped.wrapped();
    byte[] material;
    try {
      material =
          AesGcm.open(
              root.key().exposeForCrypto(),
              Arrays.copyOfRange(blob, 0, AesGcm.IV_LENGTH),
              Arrays.copyOfRange(blob, AesGcm.IV_LENGTH, blob.length),
              wrapAad(keyId, wrapped.version()));
    } catch (KmsException e) {
      // Stored material that does not open under the root key is our fault, not the caller's.
      throw new IllegalStateException(
          "Key material of " + keyId + " v" + wrapped.version() + " does not unwrap");
    }
    SecretBytes result = SecretBytes.adopt(material);
    cache.put(keyId, wrapped.version(), result);
    return result;
  }

  @Override
  public CiphertextBlob encrypt(
      UUID keyId, int version, SecretBytes material, byte[] plaintext, EncryptionContext context) {
    CiphertextBlob header =
        new CiphertextBlob(
            keyId, version, Fips.randomBytes(CiphertextBlob.NONCE_LENGTH), null, null);
    byte[] dataKey =
        CounterModeKdf.deriveKey(material.exposeForCrypto(), DATA_KEY_LABEL, header.header());
    try {
      byte[] ivAndSealed = AesGcm.seal(dataKey, plaintext, header.associatedData(context));
      return new CiphertextBlob(
          keyId,
          version,
          header.nonce(),
          Arrays.copyOfRange(ivAndSealed, 0, AesGcm.IV_LENGTH),
          Arrays.copyOfRange(ivAndSealed, AesGcm.IV_LENGTH, ivAndSealed.length));
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  @Override
  public byte[] decrypt(CiphertextBlob blob, SecretBytes material, EncryptionContext context) {
    byte[] dataKey =
        CounterModeKdf.deriveKey(material.exposeForCrypto(), DATA_KEY_LABEL, blob.header());
    try {
      return AesGcm.open(dataKey, blob.iv(), blob.sealed(), blob.associatedData(context));
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * True if {@code check} is the stored root-key check value of the current root key (the check
   * {@link #load} applies at startup).
   */
  public boolean matchesRootKeyCheck(byte[] check) {
    return RootOfTrustState.matches(root.key(), check);
  }

  @Override
  public String configuredKind() {
    return root.kind();
  }

  @Override
  public StoredRoot initialize() {
    return root.initialize();
  }

  @Override
  public void load(StoredRoot stored) {
    root.load(stored);
  }

  @Override
  public StoredRoot beginMigration(StoredRoot source, StoredRoot pendingTarget) {
    // Cached material stays valid: a migration re-wraps material, it never changes it.
    return root.beginMigration(source, pendingTarget);
  }

  @Override
  public byte[] rewrapMaterial(UUID keyId, int version, byte[] wrapped) {
    return rewrap(wrapped, wrapAad(keyId, version), "key material of " + keyId + " v" + version);
  }

  @Override
  public byte[] rewrapSecret(String purpose, byte[] wrapped) {
    return rewrap(wrapped, secretAad(purpose), "stored secret for " + purpose);
  }

  /** Null if {@code sealed} opens under the target root, else it re-sealed from the source. */
  private byte[] rewrap(byte[] sealed, byte[] aad, String what) {
    if (openOrNull(root.key(), sealed, aad) != null) {
      return null;
    }
    SecretBytes source = requireSource();
    byte[] plain = openOrNull(source, sealed, aad);
    if (plain == null) {
      throw new IllegalStateException(what + " opens under neither the source nor the target root");
    }
    try {
      return AesGcm.seal(root.key().exposeForCrypto(), plain, aad);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  @Override
  public byte[] rebind(byte[] mac, String purpose, String... fields) {
    if (mac == null || matchesBindingMac(mac, purpose, fields)) {
      return null;
    }
    byte[] input = bindingInput(purpose, fields);
    if (!java.security.MessageDigest.isEqual(
        mac, derivedHmac(requireSource(), BINDING_LABEL, input))) {
      return null;
    }
    return derivedHmac(root.key(), BINDING_LABEL, input);
  }

  @Override
  public String sourceFingerprint(UUID keyId, byte[] material) {
    return fingerprint(requireSource(), keyId, material);
  }

  @Override
  public void endMigration() {
    root.endMigration();
  }

  private SecretBytes requireSource() {
    SecretBytes source = root.source();
    if (source == null) {
      throw new IllegalStateException("no root-key migration is in progress");
    }
    return source;
  }

  private static byte[] openOrNull(SecretBytes key, byte[] sealed, byte[] aad) {
    if (sealed == null || sealed.length < AesGcm.IV_LENGTH) {
      return null;
    }
    try {
      return AesGcm.open(
          key.exposeForCrypto(),
          Arrays.copyOfRange(sealed, 0, AesGcm.IV_LENGTH),
          Arrays.copyOfRange(sealed, AesGcm.IV_LENGTH, sealed.length),
          aad);
    } catch (KmsException | IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public byte[] wrapSecret(String purpose, SecretBytes secret) {
    return AesGcm.seal(root.key().exposeForCrypto(), secret.exposeForCrypto(), secretAad(purpose));
  }

  @Override
  public SecretBytes unwrapSecret(String purpose, byte[] wrapped) {
    try {
      return SecretBytes.adopt(
          AesGcm.open(
              root.key().exposeForCrypto(),
              Arrays.copyOfRange(wrapped, 0, AesGcm.IV_LENGTH),
              Arrays.copyOfRange(wrapped, AesGcm.IV_LENGTH, wrapped.length),
              secretAad(purpose)));
    } catch (KmsException | IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new IllegalStateException("stored secret for " + purpose + " does not unwrap");
    }
  }

  @Override
  public String fingerprint(UUID keyId, byte[] material) {
    return fingerprint(root.key(), keyId, material);
  }

  private static String fingerprint(SecretBytes rootKey, UUID keyId, byte[] material) {
    byte[] id =
        ByteBuffer.allocate(16)
            .putLong(keyId.getMostSignificantBits())
            .putLong(keyId.getLeastSignificantBits())
            .array();
    return java.util.HexFormat.of()
        .formatHex(derivedHmac(rootKey, FINGERPRINT_LABEL, id, material));
  }

  @Override
  public byte[] bindingMac(String purpose, String... fields) {
    return derivedHmac(root.key(), BINDING_LABEL, bindingInput(purpose, fields));
  }

  @Override
  public boolean matchesBindingMac(byte[] mac, String purpose, String... fields) {
    return mac != null && java.security.MessageDigest.isEqual(mac, bindingMac(purpose, fields));
  }

  /** purpose and fields, each as a 4-byte length (-1 for null) and its UTF-8 bytes. */
  private static byte[] bindingInput(String purpose, String... fields) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.util.List<String> all = new java.util.ArrayList<>();
    all.add(purpose);
    all.addAll(Arrays.asList(fields));
    for (String field : all) {
      byte[] bytes = field == null ? new byte[0] : field.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(field == null ? -1 : bytes.length).array());
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  /**
   * HMAC-SHA-256 of {@code parts} under a key derived from {@code rootKey} with {@code label} (SP
   * 800-108), so the root key itself never keys an HMAC and each use has its own key.
   */
  private static byte[] derivedHmac(SecretBytes rootKey, byte[] label, byte[]... parts) {
    byte[] key = CounterModeKdf.deriveKey(rootKey.exposeForCrypto(), label, new byte[0]);
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HMACSHA256", Fips.PROVIDER);
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HMACSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] secretAad(String purpose) {
    return (SECRET_LABEL + purpose).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] wrapAad(UUID keyId, int version) {
    return ByteBuffer.allocate(WRAP_LABEL.length + 20)
        .put(WRAP_LABEL)
        .putLong(keyId.getMostSignificantBits())
        .putLong(keyId.getLeastSignificantBits())
        .putInt(version)
        .array();
  }
}
