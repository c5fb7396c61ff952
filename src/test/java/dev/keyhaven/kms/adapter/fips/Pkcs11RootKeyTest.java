package dev.keyhaven.kms.adapter.fips;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.support.SoftHsm;
import java.security.Key;
import java.security.KeyStore;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The root wrapping key in a PKCS#11 token (SoftHSM2): created once by label, found again by a new
 * connection (a restart), sensitive and not extractable; a wrong PIN, a missing token or library
 * refused with a message naming the setting, changing nothing.
 */
class Pkcs11RootKeyTest {

  /** kms.pkcs11.* for one SoftHSM token. */
  record Settings(
      Optional<String> library,
      Optional<Long> slot,
      int slotListIndex,
      Optional<String> pin,
      String keyLabel,
      String mechanism)
      implements KmsConfig.Pkcs11 {
    static Settings of(String token, String pin, String label, String mechanism) {
      return new Settings(
          Optional.of(SoftHsm.library()),
          Optional.of(SoftHsm.slot(token)),
          0,
          Optional.of(pin),
          label,
          mechanism);
    }
  }

  @Test
  void connect_createKey_foundAgainByANewConnection_opensWhatTheFirstSealed() {
    Pkcs11RootKey first =
        Pkcs11RootKey.connect(Settings.of(SoftHsm.A, SoftHsm.PIN, "unit-root", "AES_GCM"));
    assertFalse(first.keyExists());
    first.createKey();
    assertTrue(first.keyExists());
    byte[] domainKey = Fips.randomBytes(32);
    byte[] sealed = first.seal(domainKey);
    assertEquals(Pkcs11RootKey.GCM, sealed[0]);

    Pkcs11RootKey restarted =
        Pkcs11RootKey.connect(Settings.of(SoftHsm.A, SoftHsm.PIN, "unit-root", "AES_GCM"));
    assertTrue(restarted.keyExists());
    assertArrayEquals(domainKey, restarted.open(sealed));
  }

  @Test
  void createdKey_isATokenObject_sensitive_notExtractable() throws Exception {
    Pkcs11RootKey hsm =
        Pkcs11RootKey.connect(Settings.of(SoftHsm.A, SoftHsm.PIN, "unit-attributes", "AES_GCM"));
    hsm.createKey();
    KeyStore token =
        KeyStore.getInstance(
            "PKCS11",
            java.security.Security.getProvider("SunPKCS11")
                .configure(
                    "--name=attributes\nlibrary="
                        + SoftHsm.library()
                        + "\nslot="
                        + SoftHsm.slot(SoftHsm.A)
                        + "\n"));
    token.load(null, SoftHsm.PIN.toCharArray());
    Key key = token.getKey("unit-attributes", null);
    assertNotNull(key);
    assertEquals("AES", key.getAlgorithm());
    assertNull(key.getEncoded(), "the key's value must not leave the HSM");
    // SunPKCS11 reads CKA_TOKEN, CKA_SENSITIVE and CKA_EXTRACTABLE from the token for toString.
    assertTrue(key.toString().contains("token object, sensitive, unextractable"), key.toString());
  }

  @Test
  void cbcPad_sealsAndOpens_andEitherMechanismOpensTheOther() {
    Pkcs11RootKey cbc =
        Pkcs11RootKey.connect(Settings.of(SoftHsm.A, SoftHsm.PIN, "unit-cbc", "AES_CBC_PAD"));
    cbc.createKey();
    byte[] domainKey = Fips.randomBytes(32);
    byte[] sealed = cbc.seal(domainKey);
    assertEquals(Pkcs11RootKey.CBC_PAD, sealed[0]);
    Pkcs11RootKey gcm =
        Pkcs11RootKey.connect(Settings.of(SoftHsm.A, SoftHsm.PIN, "unit-cbc", "AES_GCM"));
    assertArrayEquals(domainKey, gcm.open(sealed), "the mechanism is read from the sealed value");
  }

  @Test
  void open_tamperedOrUnderAnotherToken_null() {
    Pkcs11RootKey a =
        Pkcs11RootKey.connect(Settings.of(SoftHsm.A, SoftHsm.PIN, "unit-other", "AES_GCM"));
    a.createKey();
    Pkcs11RootKey b =
        Pkcs11RootKey.connect(Settings.of(SoftHsm.B, SoftHsm.PIN, "unit-other", "AES_GCM"));
    b.createKey();
    byte[] sealed = a.seal(Fips.randomBytes(32));
    assertNull(b.open(sealed), "same label, another token's key");
    for (int i = 0; i < sealed.length; i++) {
      byte[] mutant = sealed.clone();
      mutant[i] ^= 0x01;
      assertNull(a.open(mutant), "bit flipped in byte " + i);
    }
    assertNull(a.open(java.util.Arrays.copyOf(sealed, sealed.length - 1)));
  }

  @Test
  void wrongPin_refusedClearly_nothingChanged() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Pkcs11RootKey.connect(
                    Settings.of(SoftHsm.WRONG_PIN, "0000-wrong", "keyhaven-root", "AES_GCM")));
    assertTrue(e.getMessage().contains("refused the PIN"), e.getMessage());
    assertTrue(e.getMessage().contains("CKR_PIN_INCORRECT"), e.getMessage());
    assertTrue(e.getMessage().contains("KMS_PKCS11_PIN"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());
  }

  @Test
  void missingToken_refusedClearly() {
    Settings noSuchSlot =
        new Settings(
            Optional.of(SoftHsm.library()),
            Optional.of(4_242L),
            0,
            Optional.of(SoftHsm.PIN),
            "keyhaven-root",
            "AES_GCM");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Pkcs11RootKey.connect(noSuchSlot));
    assertTrue(
        e.getMessage().startsWith("No usable PKCS#11 token: the token in slot 4242"),
        e.getMessage());
    assertTrue(e.getMessage().contains("kms.pkcs11.slot"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());

    Settings noSuchIndex =
        new Settings(
            Optional.of(SoftHsm.library()),
            Optional.empty(),
            99,
            Optional.of(SoftHsm.PIN),
            "keyhaven-root",
            "AES_GCM");
    e = assertThrows(IllegalStateException.class, () -> Pkcs11RootKey.connect(noSuchIndex));
    assertTrue(
        e.getMessage().startsWith("No usable PKCS#11 token: the token in slot index 99"),
        e.getMessage());
  }

  @Test
  void missingLibraryOrPin_refusedClearly() {
    Settings noLibrary =
        new Settings(
            Optional.of("/nonexistent/libpkcs11.so"),
            Optional.empty(),
            0,
            Optional.of(SoftHsm.PIN),
            "k",
            "AES_GCM");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Pkcs11RootKey.connect(noLibrary));
    assertTrue(
        e.getMessage().contains("/nonexistent/libpkcs11.so (kms.pkcs11.library) does not exist"),
        e.getMessage());
    Settings noPin =
        new Settings(
            Optional.of(SoftHsm.library()), Optional.empty(), 0, Optional.empty(), "k", "AES_GCM");
    e = assertThrows(IllegalStateException.class, () -> Pkcs11RootKey.connect(noPin));
    assertTrue(e.getMessage().contains("set KMS_PKCS11_PIN"), e.getMessage());
    Settings badMechanism = Settings.of(SoftHsm.A, SoftHsm.PIN, "k", "AES_ECB");
    e = assertThrows(IllegalStateException.class, () -> Pkcs11RootKey.connect(badMechanism));
    assertTrue(e.getMessage().contains("AES_GCM or AES_CBC_PAD"), e.getMessage());
  }
}
