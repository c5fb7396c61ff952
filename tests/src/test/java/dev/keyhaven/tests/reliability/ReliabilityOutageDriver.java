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
 * Scenario 2, database outage (security reference R2). Load — Encrypt and GenerateDataKey on a
 * key whose material is cached, DescribeKey, CreateKey — while 2-outage.sh stops PostgreSQL
 * (signals {@code pg-stopped}), keeps it down, starts it again ({@code pg-restarting}, then
 * {@code pg-ready}) and lets the load run on until {@code faults-done}. Checks:
 *
 * <ul>
 *   <li>0 answers with 200 among requests sent after {@code pg-stopped} and answered before
 *       {@code pg-restarting};
 *   <li>each of those is an HTTP answer DependencyTimeoutException or KMSInternalException, and
 *       their p99 latency is at most 2 s (no request hangs);
 *   <li>recovery — from {@code pg-ready} to the end of the last failed request sent after
 *       it — is at most 10 s, with the same server process, and the load is served again
 *       afterwards.
 * </ul>
 */
public final class ReliabilityOutageDriver {
  private static final Set<String> EXPECTED_ERRORS =
      Set.of("DependencyTimeoutException", "KMSInternalException");

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
        ReliabilityEnv.awaitEvent("pg-ready", 1));
  }

  private void load() {
    byte[] plaintext = "outage probe".getBytes();
    while (!ReliabilityEnv.signalled("faults-done")) {
      int pick = ThreadLocalRandom.current().nextInt(100);
      if (pick < 40) {
        journal.add(client.call("Encrypt",
            k -> k.encrypt(b -> b.keyId(key).plaintext(SdkBytes.fromByteArray(plaintext)))));
      } else if (pick < 70) {
        journal.add(client.call("GenerateDataKey",
            k -> k.generateDataKey(b -> b.keyId(key).keySpec(DataKeySpec.AES_256))));
      } else if (pick < 90) {
        journal.add(client.call("DescribeKey", k -> k.describeKey(b -> b.keyId(key))));
      } else {
        journal.add(client.call("CreateKey", k -> k.createKey(b -> b.description("outage"))));
      }
    }
  }

  private int check(long stopped, long restarting, long ready) throws Exception {
    List<String> failures = new ArrayList<>();
    List<Answer<?>> all = journal.all();
    List<Answer<?>> down =
        all.stream().filter(a -> a.startMs() >= stopped && a.endMs() <= restarting).toList();
    long okDown = down.stream().filter(Answer::ok).count();
    long unexpected =
        down.stream().filter(a -> !a.ok() && !EXPECTED_ERRORS.contains(a.error())).count();
    long[] millis = down.stream().mapToLong(Answer::millis).sorted().toArray();
    long p50 = ReliabilityJournal.percentile(millis, 50);
    long p99 = ReliabilityJournal.percentile(millis, 99);
    long max = millis.length == 0 ? -1 : millis[millis.length - 1];
    if (down.size() < 20) {
      failures.add("only " + down.size() + " requests while PostgreSQL was down");
    }
    if (okDown > 0) {
      failures.add(okDown + " requests succeeded while PostgreSQL was down");
    }
    if (unexpected > 0) {
      failures.add(unexpected + " outage answers were not DependencyTimeout/KMSInternal, e.g. "
          + down.stream().filter(a -> !a.ok() && !EXPECTED_ERRORS.contains(a.error()))
              .findFirst().map(Answer::error).orElse(""));
    }
    if (p99 > 2000) {
      failures.add("outage errors p99 " + p99 + " ms > 2000 ms");
    }
    List<Answer<?>> after = all.stream().filter(a -> a.startMs() >= ready).toList();
    long lastFailureEnd =
        after.stream().filter(a -> !a.ok()).mapToLong(Answer::endMs).max().orElse(ready);
    long recovery = lastFailureEnd - ready;
    long okAfter = after.stream().filter(a -> a.ok() && a.startMs() > lastFailureEnd).count();
    if (recovery > 10_000) {
      failures.add("recovery took " + recovery + " ms > 10 s");
    }
    if (okAfter < 20) {
      failures.add("only " + okAfter + " successes after recovery");
    }
    long missing = journal.checkAudited(failures);
    Map<String, Object> n = journal.counts();
    n.put("outage_ms", restarting - stopped);
    n.put("outage_requests", down.size());
    n.put("outage_ok", okDown);
    n.put("outage_unexpected_errors", unexpected);
    n.put("outage_error_codes", errorCodes(down));
    n.put("outage_p50_ms", p50);
    n.put("outage_p99_ms", p99);
    n.put("outage_max_ms", max);
    n.put("recovery_ms", recovery);
    n.put("ok_after_recovery", okAfter);
    n.put("missing_audit", missing);
    return ReliabilityEnv.report("2-outage", n, failures);
  }

  private static String errorCodes(List<Answer<?>> answers) {
    Map<String, Long> codes = new java.util.TreeMap<>();
    for (Answer<?> a : answers) {
      codes.merge(a.ok() ? "200" : a.status() + ":" + a.error(), 1L, Long::sum);
    }
    return codes.toString().replace("=", ":").replace(", ", " ");
  }
}
