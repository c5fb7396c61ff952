package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.operation.port.RootOfTrust;
import dev.keyhaven.kms.operation.port.RootOfTrust.StoredRoot;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The configured root of trust and the root key it yields in memory (the secret itself, or the
 * HSM-sealed domain key once opened). {@link FipsKeyMaterialCrypto} keys everything with {@link
 * #key()}.
 *
 * <p>A secret root is loaded at construction (schema steps may need it before the stored check is
 * read); an HSM root is connected at construction (a wrong PIN or missing token stops startup
 * there) and its domain key is loaded by {@link #load} or {@link #initialize}.
 */
final class RootOfTrustState {
  private static final byte[] ROOT_CHECK =
      "keyhaven:root-key-check:v1".getBytes(StandardCharsets.US_ASCII);

  private final KmsConfig config;
  private final String kind;
  private final Pkcs11RootKey hsm;
  private volatile SecretBytes key;

  /** During a root-key migration: the root the database is moving away from; else null. */
  private volatile SecretBytes source;

  RootOfTrustState(KmsConfig config) {
    this.config = config;
    this.kind = config.rootOfTrust();
    switch (kind) {
      case RootOfTrust.SECRET -> {
        this.hsm = null;
        this.key = RootKey.loadIfPresent(config); // a missing file is created by initialize()
      }
      case RootOfTrust.PKCS11 -> this.hsm = Pkcs11RootKey.connect(config.pkcs11());
      default ->
          throw new IllegalStateException(
              "kms.root-of-trust (KMS_ROOT_OF_TRUST) must be secret or pkcs11, not '"
                  + kind
                  + "'. Nothing was changed.");
    }
  }

  String kind() {
    return kind;
  }

  /** The root key in memory; fails if an HSM root's domain key is not loaded yet. */
  SecretBytes key() {
    SecretBytes loaded = key;
    if (loaded == null) {
      throw new IllegalStateException(
          "The root key is not loaded yet: the HSM's domain key is read from the database at"
              + " startup, after the schema migrations");
    }
    return loaded;
  }

  synchronized StoredRoot initialize() {
    if (kind.equals(RootOfTrust.SECRET)) {
      if (key == null) {
        key = RootKey.load(config);
      }
      return new StoredRoot(kind, check(key), null, null);
    }
    if (!hsm.keyExists()) {
      hsm.createKey();
    }
    byte[] domainKey = Fips.randomBytes(RootKey.LENGTH);
    try {
      byte[] sealed = hsm.seal(domainKey);
      SecretBytes loaded = SecretBytes.adopt(domainKey.clone());
      key = loaded;
      return new StoredRoot(kind, check(loaded), sealed, hsm.label());
    } finally {
      Arrays.fill(domainKey, (byte) 0);
    }
  }

  synchronized void load(StoredRoot stored) {
    if (!stored.kind().equals(kind)) {
      throw new IllegalStateException(mismatchedKind(stored));
    }
    if (kind.equals(RootOfTrust.SECRET)) {
      if (key == null) {
        throw new IllegalStateException(
            "This database's root is a secret root key, but the root key file "
                + config.rootKeyFile().orElse("")
                + " does not exist and KMS_ROOT_KEY is not set:"
                + " configure the original root key. Nothing was changed.");
      }
      if (!matches(key, stored.check())) {
        throw new IllegalStateException(
            "The configured root key is not the one this database was created with: its key"
                + " material cannot be unwrapped. Configure the original root key (KMS_ROOT_KEY or"
                + " the root key file). Nothing was changed.");
      }
      return;
    }
    key = openDomainKey(hsm, stored);
  }

  /** The stored domain key opened by {@code hsm} and checked; refused clearly otherwise. */
  private static SecretBytes openDomainKey(Pkcs11RootKey hsm, StoredRoot stored) {
    if (!hsm.keyExists()) {
      throw new IllegalStateException(
          "This database's domain key is sealed under an HSM key labelled '"
              + stored.hsmKeyLabel()
              + "', but there is "
              + hsm.missing()
              + ": configure the token and label it was created with (kms.pkcs11.*)."
              + " Nothing was changed.");
    }
    byte[] opened = hsm.open(stored.sealedDomainKey());
    SecretBytes candidate = opened == null ? null : SecretBytes.adopt(opened);
    if (candidate == null || !matches(candidate, stored.check())) {
      throw new IllegalStateException(
          "This database's domain key does not open under "
              + hsm.describe()
              + " (it was sealed"
              + " under a key labelled '"
              + stored.hsmKeyLabel()
              + "' of another token, or the"
              + " stored value was changed). Configure the HSM key it was created with."
              + " Nothing was changed.");
    }
    return candidate;
  }

  /** The migration's source root, or null outside a migration. */
  SecretBytes source() {
    return source;
  }

  /** See {@link RootOfTrust#beginMigration}. */
  synchronized StoredRoot beginMigration(StoredRoot stored, StoredRoot pendingTarget) {
    if (stored.kind().equals(kind)) {
      throw new IllegalStateException(
          "This database's root of trust is already "
              + kind
              + " (kms.root-of-trust): nothing to"
              + " migrate. Set kms.root-of-trust to the root to move to. Nothing was changed.");
    }
    SecretBytes opened = openSource(stored);
    StoredRoot target;
    if (pendingTarget != null) {
      try {
        load(pendingTarget);
      } catch (IllegalStateException e) {
        throw new IllegalStateException(
            "The unfinished root-key migration moves to a root other than the configured one: "
                + e.getMessage(),
            e);
      }
      target = pendingTarget;
    } else {
      target = initialize();
    }
    source = opened;
    return target;
  }

  synchronized void endMigration() {
    source = null;
  }

  /** The stored root, opened with the other kind's settings; refused if it is not this one. */
  private SecretBytes openSource(StoredRoot stored) {
    if (stored.kind().equals(RootOfTrust.SECRET)) {
      SecretBytes secret = RootKey.loadIfPresent(config);
      if (secret == null || !matches(secret, stored.check())) {
        throw new IllegalStateException(
            "The secret root key configured (KMS_ROOT_KEY or the root key file) is not the one"
                + " this database's material is wrapped under: configure it to migrate from it."
                + " Nothing was changed.");
      }
      return secret;
    }
    return openDomainKey(Pkcs11RootKey.connect(config.pkcs11()), stored);
  }

  private String mismatchedKind(StoredRoot stored) {
    if (stored.kind().equals(RootOfTrust.PKCS11)) {
      return "This database's root of trust is an HSM (its domain key is sealed under the PKCS#11"
          + " key labelled '"
          + stored.hsmKeyLabel()
          + "'), but kms.root-of-trust is "
          + kind
          + ": set KMS_ROOT_OF_TRUST=pkcs11 and KMS_PKCS11_*, or move the root back to a secret"
          + " with ./kms root-key migrate (docs/key-hierarchy.md). Nothing was changed.";
    }
    return "This database's root of trust is a secret root key (KMS_ROOT_KEY or the root key"
        + " file), but kms.root-of-trust is "
        + kind
        + ": configure the secret root key, or move"
        + " the root into the HSM with ./kms root-key migrate (docs/key-hierarchy.md)."
        + " Nothing was changed.";
  }

  /** An AES-GCM tag over a fixed label under {@code root}: only that key opens it. */
  static byte[] check(SecretBytes root) {
    return AesGcm.seal(root.exposeForCrypto(), new byte[0], ROOT_CHECK);
  }

  static boolean matches(SecretBytes root, byte[] check) {
    if (check == null || check.length < AesGcm.IV_LENGTH) {
      return false;
    }
    try {
      AesGcm.open(
          root.exposeForCrypto(),
          Arrays.copyOfRange(check, 0, AesGcm.IV_LENGTH),
          Arrays.copyOfRange(check, AesGcm.IV_LENGTH, check.length),
          ROOT_CHECK);
      return true;
    } catch (KmsException | IndexOutOfBoundsException | IllegalArgumentException e) {
      return false;
    }
  }
}
