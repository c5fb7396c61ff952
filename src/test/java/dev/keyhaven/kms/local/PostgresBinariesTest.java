package dev.keyhaven.kms.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
