package dev.keyhaven.kms.adapter.fips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.function.Executable;

/**
 * Loads the external test vectors in {@code shared/testvectors} (read-only, never copied into the
 * repository). The folder comes from the system property {@code keyhaven.testvectors}, which
 * surefire sets. Every file is checked against the folder's {@code SHA256SUMS} before it is
 * parsed, so a test never runs on a truncated or edited vector file.
 */
final class TestVectors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private TestVectors() {}

  /**
   * The parsed JSON file at {@code relative} (e.g. {@code wycheproof/aes_gcm_test.json}), gunzipped
   * when the name ends in {@code .gz}.
   */
  static JsonNode json(String relative) {
    Path file = root().resolve(relative);
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read test vector file " + file, e);
    }
    assertEquals(expectedSha256(relative), HEX.formatHex(sha256(raw)), "SHA-256 of " + relative);
    try (InputStream in =
        relative.endsWith(".gz")
            ? new GZIPInputStream(new ByteArrayInputStream(raw))
            : new ByteArrayInputStream(raw)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse test vector file " + file, e);
    }
  }

  /** Bytes from hex, upper or lower case; the empty string is the empty array. */
  static byte[] hex(String hex) {
    return HEX.parseHex(hex);
  }

  static byte[] hex(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      fail("missing hex field '" + field + "' in " + node);
    }
    return hex(value.asText());
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Runs {@code call}; returns null when it throws InvalidCiphertextException as expected, else a
   * description of what happened instead (for collecting mismatches without stopping).
   */
  static String rejectionProblem(Executable call) {
    try {
      call.execute();
      return "accepted";
    } catch (KmsException e) {
      return e.code() == ErrorCode.INVALID_CIPHERTEXT ? null : "threw KmsException " + e.code();
    } catch (Throwable t) {
      return "threw " + t;
    }
  }

  private static Path root() {
    String dir = System.getProperty("keyhaven.testvectors");
    if (dir == null || !Files.isDirectory(Path.of(dir))) {
      fail(
          "system property keyhaven.testvectors must name the shared/testvectors folder (surefire"
              + " sets it); got "
              + dir);
    }
    return Path.of(dir);
  }

  private static String expectedSha256(String relative) {
    Path sums = root().resolve("SHA256SUMS");
    try {
      for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split("\\s+\\*?", 2);
        if (parts.length == 2 && parts[1].equals(relative)) {
          return parts[0].toLowerCase(Locale.ROOT);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sums, e);
    }
    return fail(relative + " is not listed in " + sums);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
