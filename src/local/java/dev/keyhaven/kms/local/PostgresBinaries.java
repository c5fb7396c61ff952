package dev.keyhaven.kms.local;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL 14 binaries of local mode: zonky's archive (a Maven dependency) unpacked once into
 * a cache, {@code ${java.io.tmpdir}/keyhaven-pg/PG-<digest of the archive>}. A cache directory that
 * is gone, or was cleaned in part (tmp cleaners), is unpacked again: it counts as complete only
 * with its marker file and exactly the number of files the marker records. Unpacking goes to a
 * private directory renamed into place, so two servers starting at once never see half a cache.
 */
final class PostgresBinaries {
  private static final Logger LOG = Logger.getLogger(PostgresBinaries.class);
  private static final String MARKER = ".keyhaven-complete";
  private static byte[] archive;
  private static String digest;

  private PostgresBinaries() {}

  /** The binaries' directory ({@code bin/}, {@code lib/}, {@code share/}), unpacked if need be. */
  static Path prepare() throws IOException {
    return prepare(Path.of(System.getProperty("java.io.tmpdir"), "keyhaven-pg"));
  }

  static synchronized Path prepare(Path cacheRoot) throws IOException {
    if (archive == null) {
      archive = readArchive();
      digest = digest(archive);
    }
    Path dir = cacheRoot.resolve("PG-" + digest);
    if (!complete(dir)) {
      unpack(dir);
    }
    return dir;
  }

  private static byte[] readArchive() throws IOException {
    String os = System.getProperty("os.name").toLowerCase().contains("mac") ? "Darwin" : "Linux";
    String arch = System.getProperty("os.arch");
    try (InputStream in =
        DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(
            os, "amd64".equals(arch) ? "x86_64" : arch)) {
      return in.readAllBytes();
    }
  }

  static boolean complete(Path dir) throws IOException {
    Path marker = dir.resolve(MARKER);
    if (!Files.isRegularFile(marker) || !Files.isExecutable(dir.resolve("bin/postgres"))) {
      return false;
    }
    long expected = Long.parseLong(Files.readString(marker).trim());
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> !p.equals(marker) && !Files.isDirectory(p)).count() == expected;
    } catch (IOException | java.io.UncheckedIOException e) {
      return false; // being deleted under us
    }
  }

  private static void unpack(Path target) throws IOException {
    Files.createDirectories(target.getParent());
    String suffix = ProcessHandle.current().pid() + "-" + System.nanoTime();
    if (Files.exists(target)) {
      LOG.warnf(
          "the PostgreSQL binaries in %s are incomplete (cleaned up in part?): unpacking again",
          target);
      Path stale = target.resolveSibling(target.getFileName() + ".stale-" + suffix);
      try {
        Files.move(target, stale, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(stale);
      } catch (NoSuchFileException e) {
        // another server moved it first
      }
    } else {
      LOG.infof("unpacking the PostgreSQL binaries into %s", target);
    }
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + suffix);
    if (!extractWithTar(tmp)) {
      deleteTree(tmp);
      extract(tmp);
    }
    long files;
    try (Stream<Path> paths = Files.walk(tmp)) {
      files = paths.filter(p -> !Files.isDirectory(p)).count();
    }
    Files.writeString(tmp.resolve(MARKER), files + "\n");
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      deleteTree(tmp); // another server unpacked the same archive at the same moment
      if (!complete(target)) {
        throw new IOException("cannot unpack the PostgreSQL binaries into " + target, e);
      }
    }
  }

  /** The system's tar and xz where there are (about three times faster); false if not. */
  private static boolean extractWithTar(Path root) {
    if (!Files.isExecutable(Path.of("/usr/bin/xz")) && !Files.isExecutable(Path.of("/bin/xz"))) {
      return false;
    }
    try {
      Files.createDirectories(root);
      Process tar =
          new ProcessBuilder("tar", "-xJf", "-", "-C", root.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      try (var in = tar.getOutputStream()) {
        in.write(archive);
      }
      return tar.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Unpacks in Java (commons-compress and xz, zonky's dependencies). */
  static void extract(Path root) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root)) {
          throw new IOException("archive entry outside its root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          continue;
        }
        Files.createDirectories(path.getParent());
        if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createLink(path, root.resolve(entry.getLinkName()).normalize());
        } else {
          Files.copy(tar, path);
          if ((entry.getMode() & 0100) != 0) {
            path.toFile().setExecutable(true, false);
          }
        }
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String digest(byte[] bytes) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(sha, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
