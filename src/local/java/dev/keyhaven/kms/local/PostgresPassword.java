package dev.keyhaven.kms.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The embedded PostgreSQL's password (issue 16, item 6): without one, any local OS user could
 * connect to it on 127.0.0.1 and rewrite keys, access keys and policies. The password is 32 random
 * bytes (hex) in {@code <data dir>/pg-password}, mode 0600, and the cluster's {@code pg_hba.conf}
 * admits only {@code scram-sha-256} connections (TCP on 127.0.0.1 and ::1; the Unix socket is off,
 * {@link EmbeddedDatabase#serverOptions}). Keyhaven itself connects with it; nothing else is told.
 *
 * <p>{@link #ensure} runs before every start, with the postmaster stopped. A cluster whose {@code
 * pg_hba.conf} does not carry {@link #MARKER} — one made by a version that used {@code trust}, or
 * whose password file was deleted — gets the password set on the role {@code postgres} through
 * single-user mode (no connection, so no authentication, needed), then the new {@code pg_hba.conf};
 * the password file is written first, so an interrupted run repeats with the same password. The
 * password never appears in a log line or an exception message.
 */
final class PostgresPassword {
  private static final Logger LOG = Logger.getLogger(PostgresPassword.class);
  static final String FILE = "pg-password";
  static final String MARKER = "# keyhaven: password (scram-sha-256) required";
  static final String HBA =
      MARKER
          + "\n"
          + "# The password is in the data directory's pg-password (mode 0600); written by Keyhaven.\n"
          + "local all all scram-sha-256\n"
          + "host all all 127.0.0.1/32 scram-sha-256\n"
          + "host all all ::1/128 scram-sha-256\n";

  private PostgresPassword() {}

  /** The password file of {@code dataDir}'s cluster (which need not exist yet). */
  static Path file(Path dataDir) {
    return dataDir.resolve(FILE);
  }

  /** The password, or null if the data directory has none yet. */
  static String read(Path dataDir) {
    try {
      return Files.exists(file(dataDir)) ? Files.readString(file(dataDir)).strip() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Makes the stopped cluster require the data directory's password; returns it. */
  static String ensure(Path binaries, Path cluster, Path dataDir) throws IOException {
    Path hba = cluster.resolve("pg_hba.conf");
    String password = read(dataDir);
    if (password != null && Files.readString(hba).startsWith(MARKER)) {
      return password;
    }
    if (password == null) {
      password = generate(dataDir);
    }
    LOG.infof(
        "setting the embedded PostgreSQL's password (scram-sha-256, kept in %s)", file(dataDir));
    setPassword(binaries, cluster, password);
    writeHba(hba);
    return password;
  }

  /** A new random password in {@code <dataDir>/pg-password}, mode 0600 from its creation. */
  private static String generate(Path dataDir) throws IOException {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String password = HexFormat.of().formatHex(bytes);
    Path tmp = dataDir.resolve(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, password + "\n");
    Files.move(tmp, file(dataDir), StandardCopyOption.ATOMIC_MOVE);
    return password;
  }

  /** {@code pg_hba.conf} replaced whole (a temporary file renamed into place). */
  static void writeHba(Path hba) throws IOException {
    Path tmp = hba.resolveSibling("pg_hba.conf.keyhaven-tmp");
    Files.writeString(tmp, HBA);
    Files.move(tmp, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** {@code ALTER ROLE postgres PASSWORD ...} in single-user mode (the postmaster is stopped). */
  private static void setPassword(Path binaries, Path cluster, String password) throws IOException {
    List<String> command =
        new ArrayList<>(
            PostgresProcess.asPostgresUser(binaries.resolve("bin/postgres").toString()));
    command.addAll(
        List.of(
            "--single",
            "-D",
            cluster.toString(),
            "-c",
            "password_encryption=scram-sha-256",
            "postgres"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("LC_MESSAGES", "C");
    Process single = builder.start();
    try (OutputStream in = single.getOutputStream()) {
      // hex only: nothing to quote
      in.write(
          ("ALTER ROLE postgres PASSWORD '" + password + "';\n")
              .getBytes(StandardCharsets.US_ASCII));
    }
    String output = new String(single.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (single.waitFor() != 0 || output.contains("ERROR")) {
        throw new IOException(
            "setting the PostgreSQL password failed: "
                + output.replace(password, "<password>").strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while setting the PostgreSQL password", e);
    }
  }
}
