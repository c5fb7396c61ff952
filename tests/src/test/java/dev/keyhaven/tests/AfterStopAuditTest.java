package dev.keyhaven.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs once the server has stopped, after both phases (issue 4's whole-suite checks):
 *
 * <p>Secrets with fewer than 10 distinct byte values (fixed test strings, zero-filled buffers) are
 * left out of the scan: any file may hold them by chance.
 *
 * <ul>
 *   <li>every request the suite's SDK clients got an answer to has exactly one audit event in the
 *       server's audit log sink (its JSON lines on stdout), and no request has two;
 *   <li>no byte the server wrote — its log output and its whole data directory, PostgreSQL's tables
 *       and WAL included — holds a plaintext, data key, access-key secret or token the suite used,
 *       raw, base64 or hex. Skipped files: {@code dev.env} (the launcher's credentials file for the
 *       operator, secret by design) and {@code e2e-state.properties} (written by this suite).
 * </ul>
 */
class AfterStopAuditTest {
  private static final Set<String> NOT_SCANNED = Set.of("dev.env", "e2e-state.properties");

  private static Path dataDir() {
    String dir = System.getenv("KMS_DATA_DIR");
    assertNotNull(dir, "KMS_DATA_DIR is not set: run this with ./kms test");
    return Path.of(dir);
  }

  private static Path recordDir() {
    Path dir = TrafficRecord.directory();
    assertNotNull(dir, "KMS_E2E_RECORD is not set: run this with ./kms test");
    return dir;
  }

  private static List<Path> serverLogs() throws IOException {
    try (Stream<Path> files = Files.list(dataDir())) {
      return files
          .filter(p -> p.getFileName().toString().matches("server-\\d+\\.log"))
          .sorted()
          .toList();
    }
  }

  @Test
  void everyRecordedRequest_hasExactlyOneAuditEvent() throws IOException {
    List<String> requestIds = Files.readAllLines(recordDir().resolve(TrafficRecord.REQUEST_IDS));
    assertTrue(requestIds.size() >= 300, "the suite made its requests: " + requestIds.size());
    assertEquals(
        requestIds.size(), new LinkedHashSet<>(requestIds).size(), "request ids are unique");
    Map<String, Integer> events = new HashMap<>();
    List<Path> logs = serverLogs();
    assertEquals(2, logs.size(), "one log per server run: " + logs);
    for (Path log : logs) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.startsWith("{\"eventVersion\":")) {
          int at = line.lastIndexOf("\"requestID\":\"");
          assertTrue(at > 0, line);
          int start = at + "\"requestID\":\"".length();
          events.merge(line.substring(start, line.indexOf('"', start)), 1, Integer::sum);
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (String id : requestIds) {
      Integer count = events.get(id);
      if (count == null) {
        missing.add(id);
      }
    }
    assertEquals(List.of(), missing, "requests without an audit event");
    events.forEach((id, count) -> assertEquals(1, count, "events for request " + id));
    System.out.printf(
        "audit completeness: %d recorded requests, %d audit events in the logs, each request once%n",
        requestIds.size(), events.size());
  }

  @Test
  void noSecretOfTheSuite_appearsInAnythingTheServerWrote() throws IOException {
    List<byte[]> secrets = new ArrayList<>();
    for (String line : Files.readAllLines(recordDir().resolve(TrafficRecord.SECRETS))) {
      secrets.add(Base64.getDecoder().decode(line));
    }
    for (String env : List.of("KMS_TOKEN", "AWS_SECRET_ACCESS_KEY")) {
      String value = System.getenv(env);
      if (value != null && !value.isBlank()) {
        secrets.add(value.getBytes(StandardCharsets.UTF_8));
      }
    }
    // Only values that could not occur by chance: the suite also encrypts fixed test strings and
    // zero-filled buffers, which any file may contain.
    secrets.removeIf(secret -> distinctBytes(secret) < 10);
    assertTrue(secrets.size() >= 20, "the suite recorded its secrets: " + secrets.size());
    PatternSet patterns = new PatternSet();
    for (byte[] secret : secrets) {
      patterns.add(secret);
      patterns.add(Base64.getEncoder().encode(secret));
      patterns.add(HexFormat.of().formatHex(secret).getBytes(StandardCharsets.US_ASCII));
    }
    // Control: the scanner does find a secret where one is — the dev key pair in dev.env.
    assertTrue(
        patterns.foundIn(Files.readAllBytes(dataDir().resolve("dev.env"))), "control: dev.env");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dataDir())) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !NOT_SCANNED.contains(p.getFileName().toString()))
              .toList();
    }
    long bytes = 0;
    List<String> hits = new ArrayList<>();
    for (Path file : files) {
      byte[] content;
      try {
        content = Files.readAllBytes(file);
      } catch (IOException e) {
        continue; // a socket or lock file that vanished with the server
      }
      bytes += content.length;
      if (patterns.foundIn(content)) {
        hits.add(dataDir().relativize(file).toString());
      }
    }
    assertTrue(
        files.stream().anyMatch(p -> p.toString().contains("pg_wal")),
        "PostgreSQL's WAL was scanned");
    assertEquals(List.of(), hits, "files holding a secret of the suite");
    System.out.printf(
        "secret scan: %d secrets × 3 encodings, %d files, %d MiB, 0 hits%n",
        secrets.size(), files.size(), bytes >> 20);
  }

  private static long distinctBytes(byte[] value) {
    boolean[] seen = new boolean[256];
    long count = 0;
    for (byte b : value) {
      if (!seen[b & 0xff]) {
        seen[b & 0xff] = true;
        count++;
      }
    }
    return count;
  }

  /** Byte patterns of at least 8 bytes, found by their first 8 bytes then compared in full. */
  private static final class PatternSet {
    private final Map<Long, List<byte[]>> byPrefix = new HashMap<>();

    void add(byte[] pattern) {
      byPrefix
          .computeIfAbsent(ByteBuffer.wrap(pattern, 0, 8).getLong(), k -> new ArrayList<>())
          .add(pattern);
    }

    boolean foundIn(byte[] content) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      for (int i = 0; i + 8 <= content.length; i++) {
        List<byte[]> candidates = byPrefix.get(buffer.getLong(i));
        if (candidates != null) {
          for (byte[] pattern : candidates) {
            if (i + pattern.length <= content.length
                && java.util.Arrays.equals(
                    content, i, i + pattern.length, pattern, 0, pattern.length)) {
              return true;
            }
          }
        }
      }
      return false;
    }
  }
}
