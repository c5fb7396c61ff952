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
 * IllegalStateException} with a message that says what to configure and ends "Nothing was
 * changed." — they write nothing but, in {@link #initialize}, the HSM key of a new installation.
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
   * to store. The caller stores it once (several instances may race: the first stored wins, and
   * the others {@link #load} it).
   */
  StoredRoot initialize();

  /** Loads the root key from the stored record, refusing a root that is not the configured one. */
  void load(StoredRoot stored);
}
