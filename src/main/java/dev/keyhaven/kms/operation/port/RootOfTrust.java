package dev.keyhaven.kms.operation.port;

/**
 * The root of trust the configuration names, and its record in the database
 * (docs/key-hierarchy.md).
 *
 * <p>Two kinds. {@link #SECRET}: the configured 32 bytes are the root key. {@link #PKCS11}: an
 * AES-256 key in an HSM, which never leaves it, seals a 256-bit domain key stored (sealed) in the
 * database; the opened domain key plays the root key in memory, so requests never call the HSM.
 * Either way the database keeps a check value only the right root key opens.
 *
 * <p>Contract: {@link #load} and {@link #initialize} either load the root key or throw {@link
 * IllegalStateException} with a message that says what to configure and ends "Nothing was changed."
 * — they write nothing but, in {@link #initialize}, the HSM key of a new installation.
 */
public interface RootOfTrust {
  String SECRET = "secret";
  String PKCS11 = "pkcs11";

  /**
   * What the database stores about its root: the kind, the check value (an AES-GCM tag under the
   * root key), and for {@link #PKCS11} the sealed domain key and the HSM key's label.
   */
  record StoredRoot(String kind, byte[] check, byte[] sealedDomainKey, String hsmKeyLabel) {}

  /** {@link #SECRET} or {@link #PKCS11}, from {@code kms.root-of-trust}. */
  String configuredKind();

  /**
   * A new installation (no stored root): loads the configured root — for {@link #PKCS11} finds the
   * HSM key by label or creates it, and draws a fresh domain key sealed under it — and returns what
   * to store. The caller stores it once (several instances may race: the first stored wins, and the
   * others {@link #load} it).
   */
  StoredRoot initialize();

  /** Loads the root key from the stored record, refusing a root that is not the configured one. */
  void load(StoredRoot stored);

  // --- root-key migration (./kms root-key migrate; docs/key-hierarchy.md) ---

  /**
   * Starts or resumes a migration from the stored root {@code source} to the configured root: opens
   * the source with the other kind's settings (kms.root-key / file, or kms.pkcs11.*), and loads
   * {@code pendingTarget} (a migration being resumed; it must be the configured root) or makes a
   * new target (an HSM root: a fresh domain key, the HSM key created if its label is not found).
   * From then on the target is the root key of every new value; returns the target's record to
   * store before anything is re-sealed.
   */
  StoredRoot beginMigration(StoredRoot source, StoredRoot pendingTarget);

  /**
   * One material version re-wrapped from the source root to the target (same key id and version
   * bound); null when it already opens under the target. Throws IllegalStateException when it opens
   * under neither.
   */
  byte[] rewrapMaterial(java.util.UUID keyId, int version, byte[] wrapped);

  /** As {@link #rewrapMaterial}, for a sealed service secret of {@code purpose}. */
  byte[] rewrapSecret(String purpose, byte[] wrapped);

  /**
   * A row binding MAC moved to the target: the target's MAC when {@code mac} verifies under the
   * source root; null when it already verifies under the target, or under neither (a row changed
   * outside Keyhaven stays as refused as it was — a migration never launders it).
   */
  byte[] rebind(byte[] mac, String purpose, String... fields);

  /**
   * The import fingerprint of {@code material} under the source root (to recognise stored ones).
   */
  String sourceFingerprint(java.util.UUID keyId, byte[] material);

  /** Ends a migration: the source root is dropped from memory and only the target remains. */
  void endMigration();
}
