package dev.keyhaven.kms.local;

import io.quarkus.runtime.LaunchMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The embedded PostgreSQL 14 of local mode, one per JVM, its cluster in {@code <data dir>/pg}
 * (survives restarts). Started as a child of the JVM under a watchdog ({@link PostgresProcess}) so
 * it never outlives the JVM, and supervised: if it dies while the service runs, it is started again
 * on the same port (the reactive pool reconnects by itself). Before the first start, a PostgreSQL
 * still running on this cluster — the leftover of a Keyhaven that is gone, since the caller holds
 * the data directory's lock ({@link DataDirectoryLock}) — is stopped: fast, then immediate.
 * PostgreSQL's WAL recovers whatever it had committed.
 */
final class EmbeddedDatabase {
  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
  private static final String URL_PROPERTY = "keyhaven.embedded-pg.url";
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static EmbeddedDatabase running;

  /**
   * Open while the application runs: the JVM's shutdown hooks run at once, so PostgreSQL's stop
   * waits for Quarkus's graceful shutdown (in-flight requests and their audit commits, the lease
   * release) to finish first ({@link EmbeddedDatabaseLifecycle}).
   */
  private static final java.util.concurrent.Phaser APPLICATION = new java.util.concurrent.Phaser(0);

  private static final Duration APPLICATION_STOP = Duration.ofSeconds(60);

  private final Path cluster;
  private final int port;
  private volatile boolean stopping;
  private PostgresProcess current;

  private EmbeddedDatabase(Path cluster, int port) {
    this.cluster = cluster;
    this.port = port;
  }

  /**
   * Starts the database if this JVM has not; returns its reactive URL. Connections need the
   * password {@link #password} returns ({@link PostgresPassword}).
   */
  static synchronized String url(Path dataDir) {
    // Dev-mode restarts load this class again in a new class loader: reuse the running server.
    String existing = System.getProperty(URL_PROPERTY);
    if (existing != null) {
      return existing;
    }
    EmbeddedDatabase db = new EmbeddedDatabase(dataDir.resolve("pg"), freePort());
    try {
      PostgresProcess.stopLeftover(db.cluster);
      PostgresProcess.initdbIfMissing(PostgresBinaries.prepare(), db.cluster);
      PostgresPassword.ensure(PostgresBinaries.prepare(), db.cluster, dataDir);
      db.start();
    } catch (IOException e) {
      String message =
          "cannot start the embedded PostgreSQL in " + db.cluster + ": " + e.getMessage();
      if (LaunchMode.current() != LaunchMode.TEST) {
        throw LocalStart.refuse(message); // e.g. "No space left on device": one line, exit 1
      }
      throw new UncheckedIOException(message, e);
    }
    running = db;
    Runtime.getRuntime().addShutdownHook(new Thread(db::stop, "embedded-postgres-stop"));
    Thread supervisor = new Thread(db::supervise, "embedded-postgres-supervisor");
    supervisor.setDaemon(true);
    supervisor.start();
    String url = "postgresql://localhost:" + db.port + "/postgres";
    LOG.infof("embedded PostgreSQL on port %d, data in %s", db.port, db.cluster);
    System.setProperty(URL_PROPERTY, url);
    return url;
  }

  /**
   * The password of {@code dataDir}'s embedded database, starting it first if this JVM has not
   * (which sets the password on a cluster that has none).
   */
  static String password(Path dataDir) {
    url(dataDir);
    return PostgresPassword.read(dataDir);
  }

  private void start() throws IOException {
    PostgresProcess started;
    synchronized (this) {
      if (stopping) {
        throw new IOException("stopping");
      }
      started = PostgresProcess.launch(PostgresBinaries.prepare(), cluster, port);
      current = started;
    }
    started.awaitReady(STARTUP, () -> stopping);
  }

  /** Waits for PostgreSQL to end; unless the JVM is stopping, starts it again, retrying forever. */
  private void supervise() {
    while (!stopping) {
      PostgresProcess watched;
      synchronized (this) {
        watched = current;
      }
      int status = watched.waitForExit();
      if (stopping) {
        return;
      }
      LOG.errorf(
          "the embedded PostgreSQL (pid %d) exited with status %d: starting it again on port %d",
          watched.postmasterPid(), status, port);
      for (int attempt = 1; !stopping; attempt++) {
        sleep(Math.min(500L * attempt, 5_000L));
        try {
          PostgresProcess.stopLeftover(cluster);
          start();
          LOG.infof("the embedded PostgreSQL is back on port %d (attempt %d)", port, attempt);
          break;
        } catch (IOException | RuntimeException e) {
          LOG.warnf(
              "starting the embedded PostgreSQL again failed (attempt %d): %s",
              attempt, e.getMessage());
        }
      }
    }
  }

  /** JVM shutdown (normal exit, SIGTERM, SIGINT): a fast shutdown of PostgreSQL, waited for. */
  private void stop() {
    try {
      if (APPLICATION.getRegisteredParties() > 0) { // else it never started, or has stopped
        APPLICATION.awaitAdvanceInterruptibly(
            APPLICATION.getPhase(),
            APPLICATION_STOP.toMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      LOG.warnf(
          "the application did not stop in %d s: stopping PostgreSQL anyway",
          APPLICATION_STOP.toSeconds());
    }
    stopping = true;
    synchronized (this) {
      if (current != null) {
        current.stop(Duration.ofSeconds(20));
      }
    }
  }

  /** The application has started: PostgreSQL's stop waits for {@link #applicationStopped}. */
  static void applicationStarted() {
    APPLICATION.register();
  }

  /** The application has stopped using the database. */
  static void applicationStopped() {
    if (APPLICATION.getRegisteredParties() > 0) {
      APPLICATION.arriveAndDeregister();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the embedded PostgreSQL", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static List<String> serverOptions(int port) {
    List<String> options = new ArrayList<>();
    for (String setting :
        List.of(
            "timezone=UTC",
            "max_connections=100",
            // A commit must be on disk before Keyhaven answers (audit events, key material).
            "synchronous_commit=on",
            "fsync=on",
            "listen_addresses=localhost",
            "unix_socket_directories=")) {
      options.add("-c");
      options.add(setting);
    }
    options.add("-p");
    options.add(Integer.toString(port));
    return options;
  }
}
