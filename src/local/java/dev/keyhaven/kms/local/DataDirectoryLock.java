package dev.keyhaven.kms.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Ownership of a data directory that dies with its owner: the running Keyhaven holds an OS lock
 * ({@code fcntl} through {@link FileChannel#tryLock()}) on {@code keyhaven.lock} for its whole
 * life. The kernel releases it when the process ends, however it ends (SIGKILL, OOM killer, a
 * closed terminal), so a held lock always means a live owner and a free one a dead or stopped one.
 * The file names the owner ({@code pid=N port=P}) for the message a second Keyhaven prints.
 *
 * <p>POSIX record locks belong to the process and any close of the file in it drops them: nothing
 * else in the JVM may open this file.
 */
final class DataDirectoryLock {
  static final String FILE = "keyhaven.lock";
  private static FileChannel channel; // held open (and so locked) until the JVM ends
  private static FileLock lock;

  private DataDirectoryLock() {}

  /** What {@link #claim} found. */
  sealed interface Claim {}

  /** This JVM owns the directory now (or already did). */
  record Owned(Path lockFile) implements Claim {}

  /** A live process holds the lock; {@code owner} is what it wrote ("pid=N port=P") or empty. */
  record Taken(Path dir, String owner) implements Claim {
    /** The one-line refusal: names the owner and the directory. */
    String message() {
      String pid = field("pid");
      String port = field("port");
      return "another Keyhaven (pid "
          + (pid == null ? "unknown" : pid)
          + ", port "
          + (port == null ? "unknown" : port)
          + ") is using "
          + dir
          + ": stop it first, or give this one another KMS_DATA_DIR";
    }

    private String field(String name) {
      for (String part : owner.trim().split("\\s+")) {
        if (part.startsWith(name + "=") && part.length() > name.length() + 1) {
          return part.substring(name.length() + 1);
        }
      }
      return null;
    }
  }

  /** Takes the lock on {@code dir} for this JVM, recording its pid and HTTP port in the file. */
  static synchronized Claim claim(Path dir, int httpPort) throws IOException {
    Path file = dir.resolve(FILE);
    if (lock != null && lock.isValid()) {
      return new Owned(file);
    }
    FileChannel opened =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock taken = opened.tryLock();
    if (taken == null) {
      opened.close();
      return new Taken(dir, readOwner(file));
    }
    byte[] owner =
        ("pid=" + ProcessHandle.current().pid() + " port=" + httpPort + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    // Overwrite, then cut: on a full disk the file's existing block takes the few bytes.
    opened.write(ByteBuffer.wrap(owner), 0);
    opened.truncate(owner.length);
    opened.force(true);
    channel = opened;
    lock = taken;
    return new Owned(file);
  }

  /** The owner line; the winner of a race may not have written it yet, so wait a moment for it. */
  private static String readOwner(Path file) throws IOException {
    for (int i = 0; i < 20; i++) {
      String owner = Files.readString(file, StandardCharsets.US_ASCII);
      if (owner.endsWith("\n")) {
        return owner;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Files.readString(file, StandardCharsets.US_ASCII);
  }
}
