package dev.keyhaven.kms.adapter.fips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.function.Executable;

/**
 * Loads the external test vectors that the repository carries under {@code
 * src/test/resources/testvectors} (README.md there names each file's upstream, revision and
 * license). A vector file {@code <name>} is stored gzipped as {@code <name>.gz} and read from the
 * test class path; its content after gunzip is checked against that folder's {@code SHA256SUMS}
 * before it is parsed, so a test never runs on a missing, truncated or edited vector file: it
 * fails.
 */
public final class TestVectors {
  private static final String FOLDER = "/testvectors/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private TestVectors() {}

  /** The parsed JSON vector file {@code name} (e.g. {@code wycheproof/aes_gcm_test.json}). */
  public static JsonNode json(String name) {
    byte[] content = content(name);
    try {
      return JSON.readTree(content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse test vector file " + name, e);
    }
  }

  /**
   * The content of vector file {@code name}, gunzipped and checked against {@code SHA256SUMS};
   * fails the test when the file is missing or its checksum differs.
   */
  public static byte[] content(String name) {
    byte[] content;
    try (InputStream stored = resource(name + ".gz");
        InputStream in = new GZIPInputStream(stored)) {
      content = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read test vector file " + name + ".gz", e);
    }
    assertEquals(expectedSha256(name), HEX.formatHex(sha256(content)), "SHA-256 of " + name);
    return content;
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

  private static InputStream resource(String file) {
    InputStream in = TestVectors.class.getResourceAsStream(FOLDER + file);
    if (in == null) {
      fail("test vector file " + FOLDER + file + " is missing from the test resources");
    }
    return in;
  }

  private static String expectedSha256(String name) {
    try (InputStream in = resource("SHA256SUMS")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] parts = line.trim().split("\\s+\\*?", 2);
        if (parts.length == 2 && parts[1].equals(name)) {
          return parts[0].toLowerCase(Locale.ROOT);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FOLDER + "SHA256SUMS", e);
    }
    return fail(name + " is not listed in " + FOLDER + "SHA256SUMS");
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
