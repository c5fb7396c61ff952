package dev.keyhaven.kms.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where local mode keeps its state: {@code ${KMS_DATA_DIR:-.kms-data}} — the embedded PostgreSQL
 * cluster ({@code pg/}), the root key ({@code root.key}), the dev JWT issuer's key pair and {@code
 * dev.env}. Tests use a fresh temporary directory per JVM, deleted when the JVM exits.
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
        // A whole in-process suite leaves up to 2 GB here (its database): gone with the JVM.
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> deleteQuietly(dir), "keyhaven-test-dir"));
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

  /**
   * Deletes {@code dir} and everything under it, as far as it can (a JVM-exit cleanup: a file that
   * vanishes or cannot be deleted meanwhile is passed over, not a reason to stop).
   */
  private static void deleteQuietly(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(
                Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
              file.toFile().delete();
              return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
              return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) {
              d.toFile().delete();
              return java.nio.file.FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // best effort: a temporary directory the system cleans up eventually
    }
  }
}
