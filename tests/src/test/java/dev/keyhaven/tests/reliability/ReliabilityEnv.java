package dev.keyhaven.tests.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The drivers' environment (set by tests/reliability/lib.sh from a server's dev.env) and their
 * result file: {@code $KMS_RELIABILITY_OUT/<scenario>.json}, a flat JSON object of numbers and
 * strings, plus one summary line on stdout.
 */
public final class ReliabilityEnv {
  private ReliabilityEnv() {}

  public static String required(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is not set: run this through tests/reliability/");
    }
    return value;
  }

  public static int integer(String name, int fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
  }

  /** The scenario's working directory (events written by the script, the driver's files). */
  public static Path work() {
    return Path.of(required("RELIABILITY_WORK"));
  }

  /**
   * Writes the result file and prints {@code <scenario>: PASS|FAIL k=v ...}; returns the exit
   * status (0 when {@code failures} is empty).
   */
  public static int report(String scenario, Map<String, Object> numbers, List<String> failures) {
    StringJoiner json = new StringJoiner(",\n  ", "{\n  ", "\n}\n");
    StringJoiner line = new StringJoiner(" ");
    json.add("\"scenario\": \"" + scenario + "\"");
    json.add("\"passed\": " + failures.isEmpty());
    for (Map.Entry<String, Object> entry : numbers.entrySet()) {
      Object v = entry.getValue();
      String value = v instanceof Number || v instanceof Boolean ? v.toString() : "\"" + v + "\"";
      json.add("\"" + entry.getKey() + "\": " + value);
      line.add(entry.getKey() + "=" + v);
    }
    List<String> quoted = new ArrayList<>();
    for (String failure : failures) {
      quoted.add("\"" + failure.replace("\\", "\\\\").replace("\"", "'") + "\"");
    }
    json.add("\"failures\": [" + String.join(", ", quoted) + "]");
    try {
      Path out = Path.of(required("KMS_RELIABILITY_OUT"));
      Files.createDirectories(out);
      Files.writeString(out.resolve(scenario + ".json"), json.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String failure : failures) {
      System.out.println("  failure: " + failure);
    }
    System.out.println(scenario + ": " + (failures.isEmpty() ? "PASS " : "FAIL ") + line);
    return failures.isEmpty() ? 0 : 1;
  }

  /**
   * Blocks until the script has appended {@code "<event> <epoch ms>"} to {@code
   * $RELIABILITY_WORK/events}; returns the epoch ms.
   */
  public static long awaitEvent(String event, long timeoutSeconds) throws InterruptedException {
    Path events = work().resolve("events");
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
    while (System.currentTimeMillis() < deadline) {
      Long at = eventTime(events, event);
      if (at != null) {
        return at;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the script did not signal " + event + " in " + timeoutSeconds + " s");
  }

  /** Tells the script the load starts now: creates {@code $RELIABILITY_WORK/driver-ready}. */
  public static void loadStarting() {
    try {
      Files.writeString(work().resolve("driver-ready"), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the script has signalled {@code event} yet (read at most every 200 ms). */
  public static boolean signalled(String event) {
    long now = System.currentTimeMillis();
    synchronized (SIGNALS) {
      if (!SIGNALS.containsKey(event) && now - lastRead > 200) {
        lastRead = now;
        Long at = eventTime(work().resolve("events"), event);
        if (at != null) {
          SIGNALS.put(event, at);
        }
      }
      return SIGNALS.containsKey(event);
    }
  }

  private static final Map<String, Long> SIGNALS = new java.util.HashMap<>();
  private static long lastRead;

  private static Long eventTime(Path events, String event) {
    try {
      if (!Files.exists(events)) {
        return null;
      }
      for (String line : Files.readAllLines(events)) {
        String[] parts = line.trim().split(" ");
        if (parts.length == 2 && parts[0].equals(event)) {
          return Long.parseLong(parts[1]);
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
