package dev.keyhaven.tests.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server JVM's heap, read with {@code jcmd <pid> GC.heap_info} ({@code KMS_SERVER_PID}, set by
 * the scenario script). {@link #retainedKb} first runs a full GC ({@code GC.run}), so it measures
 * what the server keeps, not garbage not yet collected.
 */
final class ReliabilityServerHeap {
  private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private final String pid = ReliabilityHttp.env("KMS_SERVER_PID");

  /** Used heap in KiB as it stands (young and old generation together). */
  long usedKb() {
    Matcher m = USED.matcher(jcmd("GC.heap_info"));
    if (!m.find()) {
      throw new IllegalStateException("no heap figures from jcmd " + pid);
    }
    return Long.parseLong(m.group(2));
  }

  /** Used heap in KiB after a full GC. */
  long retainedKb() {
    jcmd("GC.run");
    return usedKb();
  }

  private String jcmd(String command) {
    try {
      Process p = new ProcessBuilder("jcmd", pid, command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("jcmd " + pid + " " + command + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("jcmd failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
