package dev.keyhaven.kms.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SoftHSM2 tokens for the HSM root-of-trust tests, in a directory of this test run.
 *
 * <p>SoftHSM reads its configuration from {@code SOFTHSM2_CONF}, which surefire sets to {@code
 * target/softhsm2/softhsm2.conf} (pom.xml); this class writes that file, pointing at a fresh token
 * directory under {@code target/softhsm2/}, and initialises every token the tests use before any of
 * them loads the library (a process sees the tokens that existed when it first initialised the
 * library). Nothing outside the build directory is read or written. SoftHSM2 must be installed
 * (Debian package {@code softhsm2}; {@code ./kms test} installs it): without it these tests fail,
 * naming the package — they never skip.
 *
 * <p>The Quarkus tests load this class again in their own class loader: the tokens are made once
 * per process, and their slots kept in the system property {@link #SLOTS_PROPERTY}.
 *
 * <p>A token is logged in for the whole process once any provider logged in with its PIN, so a
 * wrong-PIN test must use a token no test logged in to ({@link #WRONG_PIN}).
 */
public final class SoftHsm {
  public static final String PIN = "1234-keyhaven";

  /** Tokens: A and B for HSM roots, C for a database's root, WRONG_PIN never logged in to. */
  public static final String A = "keyhaven-a";

  public static final String B = "keyhaven-b";
  public static final String C = "keyhaven-c";
  public static final String D = "keyhaven-d";
  public static final String WRONG_PIN = "keyhaven-pin";

  private static final String SLOTS_PROPERTY = "keyhaven.test.softhsm-slots";
  private static final List<String> TOKENS = List.of(A, B, C, D, WRONG_PIN);
  private static final Map<String, Long> SLOTS = new ConcurrentHashMap<>();
  private static final String LIBRARY = findLibrary();

  static {
    initialise();
  }

  private SoftHsm() {}

  /** The SoftHSM2 PKCS#11 library. */
  public static String library() {
    return LIBRARY;
  }

  /** The slot id of one of the tokens above. */
  public static long slot(String token) {
    Long slot = SLOTS.get(token);
    if (slot == null) {
      throw new IllegalArgumentException("no SoftHSM test token " + token);
    }
    return slot;
  }

  private static String findLibrary() {
    for (String candidate :
        List.of(
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/local/lib/softhsm/libsofthsm2.so")) {
      if (Files.isReadable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "SoftHSM2 is not installed: the HSM root-of-trust tests need it (Debian: apt-get install"
            + " softhsm2; ./kms test installs it)");
  }

  private static synchronized void initialise() {
    String made = System.getProperty(SLOTS_PROPERTY);
    if (made != null) {
      for (String entry : made.split(",")) {
        String[] labelAndSlot = entry.split("=");
        SLOTS.put(labelAndSlot[0], Long.parseLong(labelAndSlot[1]));
      }
      return;
    }
    String conf = System.getenv("SOFTHSM2_CONF");
    if (conf == null || !conf.contains("softhsm2")) {
      throw new IllegalStateException(
          "SOFTHSM2_CONF is not set to the build's SoftHSM directory (surefire sets it, pom.xml):"
              + " run the tests through Maven");
    }
    try {
      Path confFile = Path.of(conf);
      Path tokens = confFile.toAbsolutePath().getParent().resolve("tokens-" + UUID.randomUUID());
      Files.createDirectories(tokens);
      Files.writeString(
          confFile,
          "directories.tokendir = "
              + tokens
              + "\nobjectstore.backend = file\nlog.level = ERROR\n"
              + "slots.removable = false\n",
          StandardCharsets.US_ASCII);
      StringBuilder slots = new StringBuilder();
      for (String token : TOKENS) {
        long slot = initToken(token);
        SLOTS.put(token, slot);
        slots.append(slots.length() == 0 ? "" : ",").append(token).append('=').append(slot);
      }
      System.setProperty(SLOTS_PROPERTY, slots.toString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the SoftHSM2 token directory", e);
    }
  }

  private static long initToken(String label) throws IOException {
    Process process =
        new ProcessBuilder(
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                label,
                "--pin",
                PIN,
                "--so-pin",
                "5678-keyhaven")
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("softhsm2-util --init-token failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
    if (!slot.find()) {
      throw new IllegalStateException("softhsm2-util did not name the token's slot: " + out);
    }
    return Long.parseLong(slot.group(1));
  }
}
