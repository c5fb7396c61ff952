package dev.keyhaven.kms.function.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The packaged function under test: this build's {@code function.zip}, unpacked and started in a
 * JVM of its own as Lambda's {@code java21} runtime would start it ({@link LambdaRuntimeStandIn}),
 * with only the environment given — no test class path, no local-mode configuration. Used by the
 * {@code *IT} tests (failsafe, after {@code package}).
 */
public final class PackagedFunction implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FIPS = "-Dorg.bouncycastle.fips.approved_only=true";

  private final Process process;
  private final PrintStream events;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final List<String> log = new ArrayList<>();

  private PackagedFunction(Process process) {
    this.process = process;
    this.events = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  if (line.startsWith("READY ")
                      || line.startsWith("ANSWER ")
                      || line.startsWith("ERROR ")) {
                    answers.add(line);
                  } else {
                    synchronized (log) {
                      log.add(line);
                    }
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              answers.add("EXIT");
            },
            "packaged-function-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Unpacks {@code function.zip} (system property {@code keyhaven.function.zip}) and starts it. */
  public static PackagedFunction start(Map<String, String> environment) throws IOException {
    Path zip = Path.of(System.getProperty("keyhaven.function.zip"));
    Path root = Files.createTempDirectory("keyhaven-function-");
    unzip(zip, root);
    Path standIn = Files.createTempDirectory("keyhaven-stand-in-");
    copyStandIn(standIn);
    String classPath = standIn + ":" + root + ":" + root.resolve("lib") + "/*";
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                FIPS,
                "-cp",
                classPath,
                LambdaRuntimeStandIn.class.getName())
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().putAll(environment);
    PackagedFunction function = new PackagedFunction(builder.start());
    String ready = function.next(180);
    if (!ready.startsWith("READY ")) {
      throw new AssertionError("the function did not start: " + ready + "\n" + function.log());
    }
    return function;
  }

  /** Invokes the function with {@code event}; returns its JSON answer. */
  public JsonNode invoke(String event) throws IOException {
    events.println(Base64.getEncoder().encodeToString(event.getBytes(StandardCharsets.UTF_8)));
    String line = next(60);
    if (line.startsWith("ERROR ")) {
      return JSON.createObjectNode()
          .put(
              "errorMessage",
              new String(Base64.getDecoder().decode(line.substring(6)), StandardCharsets.UTF_8));
    }
    if (!line.startsWith("ANSWER ")) {
      throw new AssertionError("no answer: " + line + "\n" + log());
    }
    return JSON.readTree(Base64.getDecoder().decode(line.substring(line.indexOf(' ', 7) + 1)));
  }

  /** What the function wrote besides its answers (its log). */
  public String log() {
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  private String next(int seconds) {
    try {
      String line = answers.poll(seconds, TimeUnit.SECONDS);
      return line == null ? "TIMEOUT" : line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "INTERRUPTED";
    }
  }

  @Override
  public void close() throws InterruptedException {
    events.close();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static void unzip(Path zip, Path root) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Path target = root.resolve(e.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("zip entry outside the target: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    }
  }

  /** Only the stand-in's class files: nothing else of the test class path reaches the function. */
  private static void copyStandIn(Path dir) throws IOException {
    String name = LambdaRuntimeStandIn.class.getName().replace('.', '/');
    Path classes = Path.of(System.getProperty("keyhaven.test-classes"));
    Path packageDir = classes.resolve(name).getParent();
    String simple = LambdaRuntimeStandIn.class.getSimpleName();
    try (Stream<Path> files = Files.list(packageDir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith(simple)).toList()) {
        Path target = dir.resolve(classes.relativize(f));
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
      }
    }
  }
}
