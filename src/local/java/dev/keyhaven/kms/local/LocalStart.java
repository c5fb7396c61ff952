package dev.keyhaven.kms.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the local server checks before it touches its data directory or starts PostgreSQL, each
 * failure a one-line message on stderr and exit status 1 (nothing has been started that would need
 * stopping): the data directory can be created and locked ({@link DataDirectoryLock}: no other live
 * Keyhaven uses it) — then the {@code dev.env} of an earlier run is removed (it is written again
 * once this server listens, so its presence keeps meaning "ready") — its disk has room, and the
 * HTTP port is free.
 */
final class LocalStart {
  /** Room for a WAL segment (16 MiB) and then some: less, and PostgreSQL cannot work. */
  static final long MIN_FREE_BYTES = 32L << 20;

  private static boolean done;

  private LocalStart() {}

  /** Runs the checks once per JVM; returns the data directory. */
  static synchronized Path once() {
    Path dir;
    try {
      dir = DataDirectory.resolve(false);
    } catch (UncheckedIOException e) {
      throw refuse(notWritable(configuredDataDir(), e.getCause()));
    }
    if (done) {
      return dir;
    }
    String host = setting("quarkus.http.host", "QUARKUS_HTTP_HOST", "KMS_HOST", "127.0.0.1");
    int port =
        Integer.parseInt(setting("quarkus.http.port", "QUARKUS_HTTP_PORT", "KMS_PORT", "8080"));
    DataDirectoryLock.Claim claim;
    try {
      claim = DataDirectoryLock.claim(dir, port);
    } catch (IOException e) {
      throw refuse(notWritable(dir, e));
    }
    if (claim instanceof DataDirectoryLock.Taken taken) {
      throw refuse(taken.message());
    }
    try {
      Files.deleteIfExists(dir.resolve("dev.env"));
      Files.deleteIfExists(dir.resolve("dev.env.tmp"));
    } catch (IOException e) {
      throw refuse(notWritable(dir, e));
    }
    checkFreeSpace(dir);
    if (port != 0) {
      checkPortFree(host, port);
    }
    done = true;
    return dir;
  }

  /**
   * A start on a full disk is refused with its reason; once running, a full disk fails requests
   * (PostgreSQL rolls their transactions back) until space is freed.
   */
  static void checkFreeSpace(Path dir) {
    long free;
    try {
      free = Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      throw refuse(notWritable(dir, e));
    }
    if (free < MIN_FREE_BYTES) {
      throw refuse(
          "the disk holding the data directory "
              + dir
              + " is full ("
              + (free >> 20)
              + " MiB free, PostgreSQL needs "
              + (MIN_FREE_BYTES >> 20)
              + "): free space on it, or set KMS_DATA_DIR to another directory");
    }
  }

  static void checkPortFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true); // as Vert.x binds: a port in TIME_WAIT is free
      socket.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      throw refuse(
          "port "
              + port
              + " on "
              + host
              + " is already in use by another program (KMS_PORT="
              + port
              + "): stop it, or start this one on another port, e.g. KMS_PORT="
              + (port + 1)
              + " ./kms dev");
    } catch (IOException e) {
      throw refuse(
          "cannot listen on " + host + ":" + port + " (KMS_HOST, KMS_PORT): " + e.getMessage());
    }
  }

  private static String notWritable(Object dir, Throwable cause) {
    return "the data directory "
        + dir
        + " is not usable ("
        + cause
        + "): make it writable, free space on its disk, or set KMS_DATA_DIR to another directory";
  }

  private static String configuredDataDir() {
    return setting("kms.data-dir", "KMS_DATA_DIR", "KMS_DATA_DIR", ".kms-data");
  }

  private static String setting(String property, String env, String launcherEnv, String fallback) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    if (value == null || value.isBlank()) {
      value = System.getenv(launcherEnv);
    }
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  /** Prints "kms: message" and ends the JVM with status 1 at once (nothing to clean up yet). */
  static RuntimeException refuse(String message) {
    System.err.println("kms: " + message);
    System.err.flush();
    Runtime.getRuntime().halt(1);
    return new IllegalStateException(message); // not reached
  }
}
