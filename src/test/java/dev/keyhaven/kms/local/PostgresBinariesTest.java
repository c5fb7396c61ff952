package dev.keyhaven.kms.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binaries' cache is unpacked again when it is gone or cleaned in part (issue 17). */
class PostgresBinariesTest {
  @TempDir Path cache;

  @Test
  void prepare_cacheCleanedInPartOrDeleted_unpacksAgain() throws Exception {
    Path dir = PostgresBinaries.prepare(cache);
    assertTrue(PostgresBinaries.complete(dir));

    // A tmp cleaner removed one file (not the marker, not bin/postgres).
    Path initdb = dir.resolve("bin/initdb");
    Files.delete(initdb);
    assertFalse(PostgresBinaries.complete(dir));
    assertTrue(PostgresBinaries.prepare(cache).equals(dir) && Files.isExecutable(initdb));
    assertTrue(PostgresBinaries.complete(dir));

    // The whole cache deleted between runs.
    PostgresBinaries.deleteTree(cache.resolve(dir.getFileName()));
    assertTrue(PostgresBinaries.prepare(cache).equals(dir) && Files.isExecutable(initdb));
    assertTrue(PostgresBinaries.complete(dir));
  }

  @Test
  void extract_inJava_sameFilesAsTheSystemTar() throws Exception {
    Path dir = PostgresBinaries.prepare(cache);
    Path java = cache.resolve("java");
    PostgresBinaries.extract(java); // where there is no xz command
    assertEquals(files(dir) - 1, files(java)); // all but the marker
    assertTrue(Files.isExecutable(java.resolve("bin/postgres")));
  }

  private static long files(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(p -> !Files.isDirectory(p)).count();
    }
  }
}
