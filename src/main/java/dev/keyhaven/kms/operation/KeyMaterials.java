package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KeyAlgorithms;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.RotationType;
import dev.keyhaven.kms.operation.port.AsymmetricCrypto;
import dev.keyhaven.kms.operation.port.KeyMaterialWrapping;
import dev.keyhaven.kms.operation.port.KeyRepository;
import dev.keyhaven.kms.operation.port.MaterialFingerprint;
import dev.keyhaven.kms.operation.port.RandomSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Versions of key material: CreateKey's first version and every rotation's (RotateKeyOnDemand and
 * the maintenance job share {@link #rotate}; imported material rotates with {@link
 * #rotateToPending}), and loading a version for use. Material is drawn from the FIPS DRBG — 256
 * bits for symmetric keys, the spec's length for HMAC keys, a key pair for RSA and ECC keys — and
 * wrapped under the root key at once; the plaintext (for key pairs: the PKCS#8 private key) is
 * wiped before anything is stored. A key pair's public key is stored beside it in clear.
 */
@ApplicationScoped
public class KeyMaterials {
  private final RandomSource random;
  private final KeyMaterialWrapping wrapping;
  private final MaterialFingerprint fingerprints;
  private final AsymmetricCrypto asymmetric;
  private final KeyRepository keys;

  KeyMaterials(
      RandomSource random,
      KeyMaterialWrapping wrapping,
      MaterialFingerprint fingerprints,
      AsymmetricCrypto asymmetric,
      KeyRepository keys) {
    this.random = random;
    this.wrapping = wrapping;
    this.fingerprints = fingerprints;
    this.asymmetric = asymmetric;
    this.keys = keys;
  }

  /** A fresh KeyMaterialId: 64 hex characters, random (not derived from the material). */
  public String newKeyMaterialId() {
    return HexFormat.of().formatHex(random.randomBytes(32));
  }

  /** Version {@code version} of a {@code spec} key's material, generated and wrapped. */
  public Uni<WrappedKeyMaterial> generate(
      UUID keyId, KeySpec spec, int version, String keyMaterialId) {
    if (spec.isAsymmetric()) {
      return asymmetric
          .generate(spec)
          .map(
              pair ->
                  wrap(keyId, version, keyMaterialId, pair.privateKey())
                      .withPublicKey(pair.publicKey()));
    }
    SecretBytes material =
        spec.family() == KeySpec.Family.HMAC
            ? SecretBytes.adopt(random.randomBytes(spec.bits() / 8))
            : random.newSymmetricMaterial();
    return Uni.createFrom().item(wrap(keyId, version, keyMaterialId, material));
  }

  /**
   * Imported material checked against its key's spec, as ImportKeyMaterial checks it (AWS KMS API
   * Reference: IncorrectKeyMaterialException otherwise): for a key pair, a PKCS#8 private key of
   * the spec, whose public key is the item; for symmetric and HMAC keys, material of a length the
   * spec allows (the item is null).
   */
  public byte[] checkImported(KeySpec spec, KeyUsage usage, SecretBytes material) {
    if (spec.isAsymmetric()) {
      return asymmetric.publicKeyOf(spec, usage, material);
    }
    int[] lengths = KeyAlgorithms.importedKeyLengths(spec);
    if (material.length() < lengths[0] || material.length() > lengths[1]) {
      throw new KmsException(
          ErrorCode.INCORRECT_KEY_MATERIAL,
          "Key material for key spec "
              + spec.wireName()
              + " must be "
              + (lengths[0] == lengths[1] ? lengths[0] : lengths[0] + " to " + lengths[1])
              + " bytes long.");
    }
    return null;
  }

  /**
   * The keyed fingerprint kept of imported material (re-imports must match it): of the public key
   * for a key pair ({@code publicKey} from {@link #checkImported}), else of the material.
   */
  public String importFingerprint(UUID keyId, byte[] publicKey, SecretBytes material) {
    return fingerprints.fingerprint(
        keyId, publicKey != null ? publicKey : material.exposeForCrypto());
  }

  /** Wraps {@code material} (then wiped) as version {@code version} of the key's material. */
  public WrappedKeyMaterial wrap(
      UUID keyId, int version, String keyMaterialId, SecretBytes material) {
    try {
      return wrapping.wrap(keyId, version, keyMaterialId, material);
    } finally {
      material.wipe();
    }
  }

  /**
   * Rotates {@code key}, whose row the caller's transaction holds locked: a new material version
   * becomes current (Encrypt uses it from the commit on, on every instance: there is no metadata
   * cache), every earlier version keeps decrypting.
   *
   * @return the key as stored
   */
  public Uni<KmsKey> rotate(KmsKey key, RotationType type, Instant now) {
    KmsKey rotated = key.rotate(newKeyMaterialId(), type, now);
    return generate(
            rotated.keyId(),
            rotated.keySpec(),
            rotated.currentVersion(),
            rotated.currentKeyMaterialId())
        .chain(material -> keys.addVersion(rotated, material, type, now));
  }

  /**
   * Rotates {@code key}, an EXTERNAL key whose row the caller's transaction holds locked: its
   * imported material pending rotation becomes current, every earlier version keeps decrypting (AWS
   * KMS Developer Guide, "Rotate keys on demand", imported key material). Without such material:
   * KMSInvalidStateException {@code No available key material pending rotation for the key: <key
   * ARN>.} (reference §1.5).
   *
   * @return the key as stored
   */
  public Uni<KmsKey> rotateToPending(KmsKey key, Instant now) {
    return keys.findMaterial(key.keyId(), key.currentVersion() + 1)
        .chain(
            pending -> {
              WrappedKeyMaterial material =
                  pending.orElseThrow(
                      () ->
                          KmsException.invalidState(
                              "No available key material pending rotation for the key: "
                                  + key.arn()
                                  + "."));
              KmsKey rotated =
                  key.requireOnDemandRotationAllowed(now)
                      .rotate(material.keyMaterialId(), RotationType.ON_DEMAND, now);
              return keys.promotePendingMaterial(rotated, now);
            });
  }

  /**
   * The plaintext material of one version (for key pairs, the PKCS#8 private key), from the cache
   * or unwrapped; the caller wipes it after use. A version that does not exist fails with {@code
   * missing}.
   */
  public Uni<SecretBytes> unwrapped(KmsKey key, int version, Supplier<RuntimeException> missing) {
    SecretBytes cached = wrapping.cachedMaterial(key.keyId(), version);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return keys.findMaterial(key.keyId(), version)
        .map(found -> found.map(w -> wrapping.unwrap(key.keyId(), w)).orElseThrow(missing));
  }

  /** The current version's plaintext material; its absence is our fault. */
  public Uni<SecretBytes> current(KmsKey key) {
    return unwrapped(key, key.currentVersion(), () -> missing(key));
  }

  /** Applies {@code use} to the current version's plaintext material, wiped afterwards. */
  public <R> Uni<R> withCurrent(KmsKey key, Function<SecretBytes, R> use) {
    return current(key)
        .map(
            material -> {
              try {
                return use.apply(material);
              } finally {
                material.wipe();
              }
            });
  }

  /** An asymmetric key's public key (SubjectPublicKeyInfo DER), read without unwrapping. */
  public Uni<byte[]> publicKey(KmsKey key) {
    return keys.findMaterial(key.keyId(), key.currentVersion())
        .map(found -> found.map(WrappedKeyMaterial::publicKey).orElseThrow(() -> missing(key)));
  }

  private static IllegalStateException missing(KmsKey key) {
    return new IllegalStateException(
        "current material v" + key.currentVersion() + " of " + key.keyId() + " is missing");
  }
}
