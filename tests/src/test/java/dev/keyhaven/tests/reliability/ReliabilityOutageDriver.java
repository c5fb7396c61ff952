package dev.keyhaven.tests.reliability;

import dev.keyhaven.tests.reliability.ReliabilityClient.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/**
 * Scenario 2, database outage (security reference R2). Load — Encrypt and GenerateDataKey on a key
 * whose material is cached, DescribeKey, CreateKey — while 2-outage.sh stops PostgreSQL (signals
 * {@code pg-stopped}), keeps it down, starts it again ({@code pg-restarting}, then {@code
 * pg-ready}), later freezes it with SIGSTOP ({@code pg-frozen}) and lets it run again with SIGCONT
 * ({@code pg-thawing}), and lets the load run on until {@code faults-done}. Checks, for the stop
 * and again for the freeze (requests sent while frozen with 2 s of it left):
 *
 * <ul>
 *   <li>every request sent after {@code pg-stopped} and before {@code pg-restarting} counts,
 *       whenever its answer came: 0 of them answered with 200 before {@code pg-restarting};
 *   <li>each answer other than a 200 after the restart is an HTTP answer DependencyTimeoutException
 *       (503: the adapters tell an unreachable database from a fault of ours, so a 500
 *       KMSInternalException here is a failure), their p99 latency is at most 2 s, and none sent
 *       with 2 s of the outage left is answered only after the restart began (no request hangs);
 *   <li>recovery — from {@code pg-ready} (and from {@code pg-thawing}) to the end of the last
 *       failed request sent after it — is at most 10 s, with the same server process, and the load
 *       is served again afterwards;
 *   <li>no request hangs during the freeze: each gets an HTTP answer, within 5 s or before the
 *       thaw.
 * </ul>
 */
public final class ReliabilityOutageDriver {
  private static final Set<String> EXPECTED_ERRORS = Set.of("DependencyTimeoutException");

  private final ReliabilityClient client = ReliabilityClient.root();
  private final ReliabilityJournal journal = new ReliabilityJournal();
  private String key;

  public static void main(String[] args) throws Exception {
    System.exit(new ReliabilityOutageDriver().run());
  }

  private int run() throws Exception {
    var created = client.call("CreateKey", k -> k.createKey(b -> b.description("outage")));
    if (!created.ok()) {
      throw new IllegalStateException("CreateKey before the outage: " + created.error());
    }
    key = created.value().keyMetadata().keyId();
    int threads = ReliabilityEnv.integer("RELIABILITY_THREADS", 4);
    ReliabilityEnv.loadStarting();
    ReliabilityJournal.parallel(java.util.Collections.nCopies(threads, this::load));
    return check(
        ReliabilityEnv.awaitEvent("pg-stopped", 1),
        ReliabilityEnv.awaitEvent("pg-restarting", 1),
        ReliabilityEnv.awaitEvent("pg-ready", 1),
        ReliabilityEnv.awaitEvent("pg-frozen", 1),
        ReliabilityEnv.awaitEvent("pg-thawing", 1));
  }

  private void load() {
    byte[] plaintext = "outage probe".getBytes();
    while (!ReliabilityEnv.signalled("faults-done")) {
      int pick = ThreadLocalRandom.current().nextInt(100);
      if (pick < 40) {
        journal.add(
            client.call(
                "Encrypt",
                k -> k.encrypt(b -> b.keyId(key).plaintext(SdkBytes.fromByteArray(plaintext)))));
      } else if (pick < 70) {
        journal.add(
            client.call(
                "GenerateDataKey",
                k -> k.generateDataKey(b -> b.keyId(key).keySpec(DataKeySpec.AES_256))));
      } else if (pick < 90) {
        journal.add(client.call("DescribeKey", k -> k.describeKey(b -> b.keyId(key))));
      } else {
        journal.add(client.call("CreateKey", k -> k.createKey(b -> b.description("outage"))));
      }
    }
  }

  private int check(long stopped, long restarting, long ready, long frozen, long thawing)
      throws Exception {
    List<String> failures = new ArrayList<>();
    List<Answer<?>> all = journal.all();
    Map<String, Object> n = journal.counts();
    stopped(all, stopped, restarting, failures, n);
    recovery("recovery", ready, frozen, all, failures, n);
    // Frozen: requests sent while it was frozen, with at least 2 s of freeze left to answer in.
    List<Answer<?>> hung =
        all.stream().filter(a -> a.startMs() >= frozen && a.startMs() < thawing - 2000).toList();
    // (Every 200 counts here, also one after the thaw: sent with 2 s of the freeze left, a
    // request answered only after it has waited for the database.)
    outage("frozen", "PostgreSQL was frozen", hung, Long.MAX_VALUE, failures, n);
    n.put("frozen_ms", thawing - frozen);
    // No request waits out the freeze: everything in flight during it ends within 5 s or before
    // the thaw, and gets an HTTP answer.
    List<Answer<?>> waited =
        all.stream()
            .filter(a -> a.endMs() > frozen && a.startMs() < thawing)
            .filter(a -> a.unknown() || (a.millis() > 5000 && a.endMs() > thawing))
            .toList();
    if (!waited.isEmpty()) {
      failures.add(
          waited.size()
              + " requests hung while PostgreSQL was frozen (no answer, or "
              + "answered only after the thaw), e.g. "
              + waited.get(0).millis()
              + " ms");
    }
    n.put("frozen_hung", waited.size());
    recovery("thaw_recovery", thawing, Long.MAX_VALUE, all, failures, n);
    long missing = journal.checkAudited(failures);
    n.put("missing_audit", missing);
    return ReliabilityEnv.report("2-outage", n, failures);
  }

  /**
   * The stop: every request sent after it and before the restart began, however late its answer
   * came — one that waits across the restart counts with its whole latency — and none of them, sent
   * with 2 s of the outage left, answered only after the restart began.
   */
  static void stopped(
      List<Answer<?>> all,
      long stopped,
      long restarting,
      List<String> failures,
      Map<String, Object> n) {
    List<Answer<?>> down =
        all.stream().filter(a -> a.startMs() >= stopped && a.startMs() < restarting).toList();
    outage("outage", "PostgreSQL was down", down, restarting, failures, n);
    n.put("outage_ms", restarting - stopped);
    List<Answer<?>> waitedOut =
        down.stream()
            .filter(a -> a.startMs() < restarting - 2000 && a.endMs() > restarting)
            .toList();
    if (!waitedOut.isEmpty()) {
      failures.add(
          waitedOut.size()
              + " requests sent while PostgreSQL was down were answered "
              + "only after its restart began, e.g. "
              + waitedOut.get(0).millis()
              + " ms");
    }
    n.put("outage_waited_out", waitedOut.size());
  }

  /**
   * Over the requests sent during a fault that ends at {@code faultEnd}: 0 answered with 200 before
   * it ended (a 200 after it is the database back, not a failure, but its latency counts), every
   * other answer one of the expected errors, p99 at most 2 s; at least 20 requests.
   */
  static void outage(
      String name,
      String what,
      List<Answer<?>> window,
      long faultEnd,
      List<String> failures,
      Map<String, Object> n) {
    long ok = window.stream().filter(a -> a.ok() && a.endMs() <= faultEnd).count();
    long unexpected =
        window.stream().filter(a -> !a.ok() && !EXPECTED_ERRORS.contains(a.error())).count();
    long[] millis = window.stream().mapToLong(Answer::millis).sorted().toArray();
    long p50 = ReliabilityJournal.percentile(millis, 50);
    long p99 = ReliabilityJournal.percentile(millis, 99);
    long max = millis.length == 0 ? -1 : millis[millis.length - 1];
    if (window.size() < 20) {
      failures.add("only " + window.size() + " requests while " + what);
    }
    if (ok > 0) {
      failures.add(ok + " requests succeeded while " + what);
    }
    if (unexpected > 0) {
      failures.add(
          unexpected
              + " answers while "
              + what
              + " were not DependencyTimeoutException, e.g. "
              + window.stream()
                  .filter(a -> !a.ok() && !EXPECTED_ERRORS.contains(a.error()))
                  .findFirst()
                  .map(Answer::error)
                  .orElse(""));
    }
    if (p99 > 2000) {
      failures.add(name + " errors p99 " + p99 + " ms > 2000 ms");
    }
    n.put(name + "_requests", window.size());
    n.put(name + "_ok", ok);
    n.put(name + "_unexpected_errors", unexpected);
    n.put(name + "_error_codes", errorCodes(window));
    n.put(name + "_p50_ms", p50);
    n.put(name + "_p99_ms", p99);
    n.put(name + "_max_ms", max);
  }

  /**
   * Recovery from {@code from}: the end of the last failed request sent after it (and answered
   * before {@code until}, the next fault) is at most 10 s later, with at least 20 successes after
   * that.
   */
  private static void recovery(
      String name,
      long from,
      long until,
      List<Answer<?>> all,
      List<String> failures,
      Map<String, Object> n) {
    List<Answer<?>> after =
        all.stream().filter(a -> a.startMs() >= from && a.endMs() < until).toList();
    long lastFailureEnd =
        after.stream().filter(a -> !a.ok()).mapToLong(Answer::endMs).max().orElse(from);
    long recovery = lastFailureEnd - from;
    long okAfter = after.stream().filter(a -> a.ok() && a.startMs() > lastFailureEnd).count();
    if (recovery > 10_000) {
      failures.add(name + " took " + recovery + " ms > 10 s");
    }
    if (okAfter < 20) {
      failures.add("only " + okAfter + " successes after " + name);
    }
    n.put(name + "_ms", recovery);
    n.put("ok_after_" + name, okAfter);
  }

  private static String errorCodes(List<Answer<?>> answers) {
    Map<String, Long> codes = new java.util.TreeMap<>();
    for (Answer<?> a : answers) {
      codes.merge(a.ok() ? "200" : a.status() + ":" + a.error(), 1L, Long::sum);
    }
    return codes.toString().replace("=", ":").replace(", ", " ");
  }
}
