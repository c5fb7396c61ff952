package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * Loads the 256-bit root key that wraps all key material (the key hierarchy in
 * docs/key-hierarchy.md).
 *
 * <p>Two sources, chosen by configuration: {@code kms.root-key} (base64, for production, from a
 * secret store) or {@code kms.root-key-file} (local mode: a 0600 file, created on first start).
 * Anything else fails startup with a message that says what to set.
 */
final class RootKey {
  static final int LENGTH = 32;

  private RootKey() {}

  /**
   * The configured root key, or null when only a file is configured and it does not exist yet
   * (nothing is created: a start that is then refused leaves no file behind).
   */
  static SecretBytes loadIfPresent(KmsConfig config) {
    if (config.rootKey().isEmpty()
        && config.rootKeyFile().isPresent()
        && !Files.exists(Path.of(config.rootKeyFile().get()))) {
      return null;
    }
    return load(config);
  }

  /** The configured root key; a configured file that does not exist is created (mode 0600). */
  static SecretBytes load(KmsConfig config) {
    if (config.rootKey().isPresent()) {
      return decode(config.rootKey().get(), "kms.root-key (KMS_ROOT_KEY)");
    }
    if (config.rootKeyFile().isPresent()) {
      return fromFile(Path.of(config.rootKeyFile().get()));
    }
    throw new IllegalStateException(
        "No root key configured: set KMS_ROOT_KEY (base64 of 32 bytes) or KMS_ROOT_KEY_FILE");
  }

  private static SecretBytes fromFile(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the root key file " + file + ": " + e, e);
    }
  }

  private static void create(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    byte[] key = Fips.randomBytes(LENGTH);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
    } catch (FileAlreadyExistsException raced) {
      // Another process created it first; use theirs.
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  private static SecretBytes decode(String base64, String source) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The root key in " + source + " is not valid base64");
    }
    if (key.length != LENGTH) {
      throw new IllegalStateException(
          "The root key in " + source + " must be 32 bytes, found " + key.length);
    }
    return SecretBytes.adopt(key);
  }
}
