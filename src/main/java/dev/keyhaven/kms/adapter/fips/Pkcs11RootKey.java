package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.config.KmsConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * The root wrapping key in a PKCS#11 HSM, through the JDK's SunPKCS11 provider (a provider of its
 * own, beside BC-FIPS; it does no cryptography itself, the HSM does).
 *
 * <p>The key is an AES-256 token object labelled {@code kms.pkcs11.key-label}, CKA_SENSITIVE and
 * not CKA_EXTRACTABLE: its value never leaves the HSM. It only seals and opens the 32-byte domain
 * key (docs/key-hierarchy.md). A sealed value is {@code mechanism (1 byte) ‖ IV ‖ ciphertext}:
 * {@link #GCM} (CKM_AES_GCM, 12-byte IV from the FIPS DRBG, 128-bit tag, AAD {@link #AAD}) or
 * {@link #CBC_PAD} (CKM_AES_CBC_PAD, 16-byte IV, for HSMs that make GCM IVs themselves, such as AWS
 * CloudHSM; its integrity comes from the root-key check the caller verifies under the opened domain
 * key).
 *
 * <p>{@link #connect} logs in and fails with a message naming the setting to fix when the library,
 * the token or the PIN is wrong; it creates nothing. Only {@link #createKey} writes to the token.
 */
final class Pkcs11RootKey {
  static final byte GCM = 1;
  static final byte CBC_PAD = 2;
  private static final byte[] AAD =
      "keyhaven:domain-key-seal:v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Provider provider;
  private final KeyStore token;
  private final String label;
  private final byte sealMechanism;
  private final String where;

  private Pkcs11RootKey(
      Provider provider, KeyStore token, String label, byte sealMechanism, String where) {
    this.provider = provider;
    this.token = token;
    this.label = label;
    this.sealMechanism = sealMechanism;
    this.where = where;
  }

  /** Loads the library, opens the token and logs in; refuses clearly, changing nothing. */
  static Pkcs11RootKey connect(KmsConfig.Pkcs11 config) {
    String library =
        config
            .library()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "kms.root-of-trust is pkcs11 but no PKCS#11 library is configured: set"
                            + " KMS_PKCS11_LIBRARY (kms.pkcs11.library). Nothing was changed."));
    String pin =
        config
            .pin()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "kms.root-of-trust is pkcs11 but no PIN is configured: set KMS_PKCS11_PIN"
                            + " (kms.pkcs11.pin). Nothing was changed."));
    byte mechanism =
        switch (config.mechanism()) {
          case "AES_GCM" -> GCM;
          case "AES_CBC_PAD" -> CBC_PAD;
          default ->
              throw new IllegalStateException(
                  "kms.pkcs11.mechanism must be AES_GCM or AES_CBC_PAD, not '"
                      + config.mechanism()
                      + "'. Nothing was changed.");
        };
    if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(library))) {
      throw new IllegalStateException(
          "The PKCS#11 library "
              + library
              + " (kms.pkcs11.library) does not exist or cannot be"
              + " read. Nothing was changed.");
    }
    String slot =
        config.slot().map(id -> "slot " + id).orElse("slot index " + config.slotListIndex());
    String where = "the token in " + slot + " of " + library;
    Provider sunPkcs11 = Security.getProvider("SunPKCS11");
    if (sunPkcs11 == null) {
      throw new IllegalStateException(
          "This runtime has no SunPKCS11 provider (module jdk.crypto.cryptoki; a native image"
              + " built without it?): an HSM root of trust needs the JVM packaging. Nothing was"
              + " changed.");
    }
    Provider provider;
    try {
      provider =
          sunPkcs11.configure(
              "--name=keyhaven-root\n"
                  + "library="
                  + library
                  + "\n"
                  + config
                      .slot()
                      .map(id -> "slot=" + id)
                      .orElse("slotListIndex=" + config.slotListIndex())
                  + "\n"
                  // Keys this provider generates are sensitive and never extractable.
                  + "attributes(generate, CKO_SECRET_KEY, CKK_AES) = {\n"
                  + "  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n");
    } catch (ProviderException | java.security.InvalidParameterException e) {
      throw new IllegalStateException(
          "No usable PKCS#11 token: "
              + where
              + " cannot be opened ("
              + rootCause(e)
              + "). Check kms.pkcs11.slot / kms.pkcs11.slot-list-index (KMS_PKCS11_SLOT,"
              + " KMS_PKCS11_SLOT_LIST_INDEX) and that the token is initialised. Nothing was"
              + " changed.",
          e);
    }
    KeyStore token;
    try {
      token = KeyStore.getInstance("PKCS11", provider);
      token.load(null, pin.toCharArray());
    } catch (IOException | GeneralSecurityException | ProviderException e) {
      String cause = rootCause(e);
      if (cause.contains("CKR_PIN_INCORRECT")
          || cause.contains("CKR_PIN_INVALID")
          || cause.contains("CKR_PIN_LEN_RANGE")) {
        throw new IllegalStateException(
            "The HSM refused the PIN for "
                + where
                + " ("
                + cause
                + "): check KMS_PKCS11_PIN"
                + " (kms.pkcs11.pin). Nothing was changed.",
            e);
      }
      throw new IllegalStateException(
          "Cannot log in to "
              + where
              + " ("
              + cause
              + "): check the token (initialised, user PIN"
              + " set) and kms.pkcs11.*. Nothing was changed.",
          e);
    }
    return new Pkcs11RootKey(provider, token, config.keyLabel(), mechanism, where);
  }

  /** Names the key and token, for messages. */
  String describe() {
    return "the HSM key labelled '" + label + "' in " + where;
  }

  /** Says the key is missing, for messages. */
  String missing() {
    return "no HSM key labelled '" + label + "' in " + where;
  }

  String label() {
    return label;
  }

  /** True if the token holds a secret key with the configured label. */
  boolean keyExists() {
    return key() != null;
  }

  /**
   * Creates the AES-256 root wrapping key in the token (a token object, sensitive, not extractable,
   * labelled). Called only for a new installation, and only when {@link #keyExists()} is false.
   */
  void createKey() {
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
      generator.init(256);
      SecretKey sessionKey = generator.generateKey();
      // Storing a session key of this token copies it into a token object labelled so.
      token.setKeyEntry(label, sessionKey, null, null);
    } catch (GeneralSecurityException | ProviderException e) {
      throw new IllegalStateException("Cannot create " + describe() + " (" + rootCause(e) + ")", e);
    }
    if (!keyExists()) {
      throw new IllegalStateException("Created " + describe() + " but cannot find it again");
    }
  }

  /** Seals the 32-byte domain key under the HSM key. */
  byte[] seal(byte[] domainKey) {
    Key key = requireKey();
    int ivLength = sealMechanism == GCM ? 12 : 16;
    byte[] iv = Fips.randomBytes(ivLength);
    try {
      Cipher cipher = cipher(sealMechanism);
      cipher.init(Cipher.ENCRYPT_MODE, key, parameters(sealMechanism, iv));
      if (sealMechanism == GCM) {
        cipher.updateAAD(AAD);
      }
      byte[] sealed = cipher.doFinal(domainKey);
      byte[] out = new byte[1 + ivLength + sealed.length];
      out[0] = sealMechanism;
      System.arraycopy(iv, 0, out, 1, ivLength);
      System.arraycopy(sealed, 0, out, 1 + ivLength, sealed.length);
      return out;
    } catch (GeneralSecurityException | ProviderException e) {
      throw new IllegalStateException(
          "Cannot seal under " + describe() + " (" + rootCause(e) + ")", e);
    }
  }

  /**
   * Opens what {@link #seal} made; null if it does not open (one answer for every reason: no
   * padding or tag oracle). The caller wipes the result.
   */
  byte[] open(byte[] sealed) {
    Key key = requireKey();
    if (sealed == null || sealed.length < 2 || (sealed[0] != GCM && sealed[0] != CBC_PAD)) {
      return null;
    }
    int ivLength = sealed[0] == GCM ? 12 : 16;
    if (sealed.length <= 1 + ivLength) {
      return null;
    }
    try {
      Cipher cipher = cipher(sealed[0]);
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          parameters(sealed[0], Arrays.copyOfRange(sealed, 1, 1 + ivLength)));
      if (sealed[0] == GCM) {
        cipher.updateAAD(AAD);
      }
      byte[] opened = cipher.doFinal(sealed, 1 + ivLength, sealed.length - 1 - ivLength);
      if (opened.length != RootKey.LENGTH) {
        Arrays.fill(opened, (byte) 0);
        return null;
      }
      return opened;
    } catch (GeneralSecurityException | ProviderException e) {
      return null;
    }
  }

  private Key requireKey() {
    Key key = key();
    if (key == null) {
      throw new IllegalStateException("There is " + missing());
    }
    return key;
  }

  private Key key() {
    try {
      return token.isKeyEntry(label) ? token.getKey(label, null) : null;
    } catch (GeneralSecurityException | ProviderException e) {
      throw new IllegalStateException("Cannot read " + describe() + " (" + rootCause(e) + ")", e);
    }
  }

  private Cipher cipher(byte mechanism) throws GeneralSecurityException {
    return Cipher.getInstance(
        mechanism == GCM ? "AES/GCM/NoPadding" : "AES/CBC/PKCS5Padding", provider);
  }

  private static java.security.spec.AlgorithmParameterSpec parameters(byte mechanism, byte[] iv) {
    return mechanism == GCM ? new GCMParameterSpec(128, iv) : new IvParameterSpec(iv);
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
