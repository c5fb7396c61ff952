package dev.keyhaven.tests;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

/**
 * What {@link BeforeRestartTest} leaves for {@link AfterRestartTest} in the {@code KMS_E2E_STATE}
 * properties file: identifiers, metadata and ciphertexts (base64) made before the server restart.
 */
final class RestartState {
  static final String KEY_ID = "key.id";
  static final String KEY_ARN = "key.arn";
  static final String KEY_DESCRIPTION = "key.description";
  static final String KEY_CREATION_DATE = "key.creationDate";
  static final String KEY_TAG_PREFIX = "key.tag.";
  static final String ALIAS = "alias.name";
  static final String ALIAS_CREATION_DATE = "alias.creationDate";
  static final String PLAINTEXT = "encrypt.plaintext";
  static final String CIPHERTEXT = "encrypt.ciphertext";
  static final String DATA_KEY_PLAINTEXT = "dataKey.plaintext";
  static final String DATA_KEY_CIPHERTEXT = "dataKey.ciphertext";
  static final String ESDK_PLAINTEXT = "esdk.plaintext";
  static final String ESDK_MESSAGE = "esdk.message";
  static final String DISABLED_KEY_ID = "disabledKey.id";
  static final String PENDING_KEY_ID = "pendingKey.id";
  static final String PENDING_DELETION_DATE = "pendingKey.deletionDate";
  static final String ROTATED_KEY_ID = "rotatedKey.id";

  /** Base64 ciphertexts, one per material version, comma-separated (plaintext: "v1", "v2"). */
  static final String ROTATED_CIPHERTEXTS = "rotatedKey.ciphertexts";

  /** KeyMaterialIds of every version, oldest first, comma-separated. */
  static final String ROTATED_MATERIAL_IDS = "rotatedKey.materialIds";

  static final String ROTATED_NEXT_ROTATION_DATE = "rotatedKey.nextRotationDate";

  /**
   * An ECC_NIST_P256 signing key: its public key (DER) and an ECDSA_SHA_256 signature of MESSAGE.
   */
  static final String SIGNING_KEY_ID = "signingKey.id";

  static final String SIGNING_PUBLIC_KEY = "signingKey.publicKey";
  static final String SIGNING_SIGNATURE = "signingKey.signature";

  /** An HMAC_256 key and the HMAC_SHA_256 of MESSAGE. */
  static final String HMAC_KEY_ID = "hmacKey.id";

  static final String HMAC_MAC = "hmacKey.mac";

  /** A symmetric key with imported material and a ciphertext of MESSAGE under it. */
  static final String IMPORTED_KEY_ID = "importedKey.id";

  static final String IMPORTED_CIPHERTEXT = "importedKey.ciphertext";

  /** What the signature, the MAC and the imported key's ciphertext are of. */
  static final String MESSAGE = "survives the restart";

  /** The encryption context used for every ciphertext handed across the restart. */
  static final Map<String, String> CONTEXT =
      Map.of("phase", "before-restart", "suite", "keyhaven-e2e");

  private RestartState() {}

  static void write(Path file, Properties state) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        state.store(w, "Keyhaven e2e: state from BeforeRestartTest for AfterRestartTest");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads the state, failing (never skipping) when the before-restart phase left none. */
  static Properties read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(
          "no state file "
              + file
              + ": BeforeRestartTest must run (and pass) before AfterRestartTest");
    }
    Properties state = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      state.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return state;
  }

  static String require(Properties state, String name) {
    String value = state.getProperty(name);
    if (value == null || value.isEmpty()) {
      throw new AssertionError("state file lacks " + name);
    }
    return value;
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] unb64(String text) {
    return Base64.getDecoder().decode(text);
  }
}
