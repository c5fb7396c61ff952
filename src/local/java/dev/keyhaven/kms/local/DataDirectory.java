package dev.keyhaven.kms.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where local mode keeps its state: {@code ${KMS_DATA_DIR:-.kms-data}} — the embedded
 * PostgreSQL cluster ({@code pg/}), the root key ({@code root.key}), the dev JWT issuer's key pair
 * and {@code dev.env}. Tests use a fresh temporary directory per JVM.
 */
final class DataDirectory {
  private static final String TEST_DIR_PROPERTY = "keyhaven.test.data-dir";

  private DataDirectory() {}

  static Path resolve(boolean testMode) {
    if (testMode) {
      String existing = System.getProperty(TEST_DIR_PROPERTY);
      if (existing != null) {
        return Path.of(existing);
      }
      try {
        Path dir = Files.createTempDirectory("keyhaven-test-");
        System.setProperty(TEST_DIR_PROPERTY, dir.toString());
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String configured = System.getProperty("kms.data-dir", System.getenv("KMS_DATA_DIR"));
    Path dir = Path.of(configured == null || configured.isBlank() ? ".kms-data" : configured);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    }
    return dir.toAbsolutePath().normalize();
  }
}
