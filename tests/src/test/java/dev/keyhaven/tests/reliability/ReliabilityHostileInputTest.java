package dev.keyhaven.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6 of docs/reliability.md against a running server: every hostile request of {@link
 * ReliabilityHostileCases} gets its 4xx fast, 1,000 slow-loris connections are all cut by the
 * server's idle timeout, the server's retained heap stays bounded, and healthy Encrypt traffic
 * running throughout keeps its p99 within 2× its quiet baseline (security reference R12).
 *
 * <p>"Fast": a case's median, measured at the client, is at most 50 ms — or, when the machine is so
 * loaded that an ordinary request's median is itself over 25 ms, at most twice that median: a
 * rejection may never cost more than two ordinary requests. "Ordinary" is the larger of the healthy
 * Encrypt's baseline median (kept-alive connections) and the median of the valid cases among the
 * hostile ones (sent the same way as the rejections: a new connection each, in the same minute) —
 * on a loaded 2-core machine a new connection alone can take tens of milliseconds. The bound used,
 * both medians and every case's median and maximum are in the result file. Each case is first sent
 * RELIABILITY_WARMUP times (default 2) with only its answer checked, so the timing is of a code
 * path the JIT has seen, not of its first interpretation.
 *
 * <p>Environment: dev.env's variables; KMS_SERVER_PID (for jcmd); RELIABILITY_REPEAT (times each
 * case is sent, default 5), RELIABILITY_BASELINE_SECONDS (10), RELIABILITY_LORIS (1000),
 * RELIABILITY_TRICKLE_SECONDS (10), RELIABILITY_JSON.
 */
class ReliabilityHostileInputTest {
  private static final double MAX_MEDIAN_MS = 50;

  /**
   * Bodies of 512 KiB and more that are read whole (under the 1 MiB cap): their transfer and parse
   * alone cost 13–33 ms warm on this 2-core box, and the 1 MB KeyId case measured 20–55 ms with the
   * healthy traffic alongside (2026-11-29) — the 50 ms is not reliably met for them;
   * docs/reliability.md, scenario 6. On a VM half as fast (2026-12-08) the same build, de167c5,
   * measured 67–130 ms in the short run — the pre-scan running uncompiled for every send of a run,
   * as documented there — so the short version allows 150 ms; the long version (compiled code)
   * holds 50 ms. A regression to the 350 ms and more seen before the codec fixes still fails.
   */
  private static final double LARGE_BODY_MAX_MEDIAN_MS = 150;

  /**
   * From this many measured sends per case on (the long version sends 50), the median is of warm
   * code and every case, the ~1 MB bodies included, is held to the 50 ms; the allowance
   * above is for the short CI version, whose 3 sends of a 1 MB body partly run interpreted code.
   */
  private static final int WARM_REPEAT = 10;

  private static final int LARGE_BODY_BYTES = 512 * 1024;

  /** Every rejection of every case together (R12: "adds < 10 MB heap" per rejection). */
  private static final long MAX_RETAINED_GROWTH_KB = 10 * 1024;

  /**
   * The slow connections, once cut, with the healthy traffic of that phase (about 20,000 requests
   * here): 32 KiB per connection at most, which catches connections kept whole after their cut.
   * Measured 11–17 MiB (2026-11-29), from the healthy traffic: slow connections alone leave nothing
   * (docs/reliability.md, scenario 6).
   */
  private static final long MAX_LORIS_RETAINED_GROWTH_KB = 32 * 1024;

  /** The server's quarkus.http.idle-timeout (application.properties) plus scheduling slack. */
  private static final int IDLE_TIMEOUT_SECONDS = 30;

  private final ReliabilityHttp http = new ReliabilityHttp();

  @Test
  void hostileInput_getsItsError_fast_andHealthyTrafficKeepsItsLatency() throws Exception {
    int repeat = Integer.parseInt(ReliabilityHttp.env("RELIABILITY_REPEAT", "5"));
    int warmup = Integer.parseInt(ReliabilityHttp.env("RELIABILITY_WARMUP", "2"));
    int baselineSeconds =
        Integer.parseInt(ReliabilityHttp.env("RELIABILITY_BASELINE_SECONDS", "10"));
    int lorisCount = Integer.parseInt(ReliabilityHttp.env("RELIABILITY_LORIS", "1000"));
    int trickle = Integer.parseInt(ReliabilityHttp.env("RELIABILITY_TRICKLE_SECONDS", "10"));
    ReliabilityServerHeap heap = new ReliabilityServerHeap();
    String keyId = ReliabilityHttp.member(http.ok("CreateKey", "{}"), "KeyId");
    List<ReliabilityHostileCases.Case> cases = ReliabilityHostileCases.all(keyId);
    List<String> failures = new ArrayList<>();
    StringBuilder caseJson = new StringBuilder();

    try (ReliabilityHealthyTraffic healthy = new ReliabilityHealthyTraffic(http, keyId, 3)) {
      Thread.sleep(3000); // warm-up, discarded
      healthy.window();
      Thread.sleep(baselineSeconds * 1000L);
      ReliabilityHealthyTraffic.Window baseline = healthy.window();
      long heapBefore = heap.retainedKb();
      List<Double> medians = new ArrayList<>();
      List<Double> maxima = new ArrayList<>();
      for (ReliabilityHostileCases.Case c : cases) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < warmup + repeat; i++) {
          ReliabilityRawHttp.Answer a =
              ReliabilityRawHttp.post(http.endpoint(), http.token(), c.operation(), c.body());
          if (i >= warmup) { // the first sends of a case warm its code path: status checked only
            millis.add(a.nanos() / 1e6);
          }
          String type = a.status() == 200 ? null : typeOf(a.body());
          if (a.status() != c.status() || (c.type() != null && !c.type().equals(type))) {
            failures.add(
                c.name()
                    + ": expected "
                    + c.status()
                    + " "
                    + c.type()
                    + ", got "
                    + a.status()
                    + " "
                    + abbreviate(a.body()));
            break;
          }
          Thread.sleep(20);
        }
        Collections.sort(millis);
        medians.add(millis.isEmpty() ? Double.NaN : millis.get(millis.size() / 2));
        maxima.add(millis.isEmpty() ? Double.NaN : millis.get(millis.size() - 1));
      }
      // "Ordinary" is an Encrypt (the healthy traffic's and the valid hostile-sized one); a
      // rejection of an operation with a valid case of its own may also take two of those.
      double validMedian = 0;
      Map<String, Double> validByOperation = new HashMap<>();
      for (int i = 0; i < cases.size(); i++) {
        ReliabilityHostileCases.Case c = cases.get(i);
        if (c.status() != 200 || Double.isNaN(medians.get(i))) {
          continue;
        }
        validByOperation.merge(c.operation(), medians.get(i), Math::max);
        if (c.operation().equals("Encrypt")) {
          validMedian = Math.max(validMedian, medians.get(i));
        }
      }
      double bound = Math.max(MAX_MEDIAN_MS, 2 * Math.max(baseline.percentile(50), validMedian));
      for (int i = 0; i < cases.size(); i++) {
        ReliabilityHostileCases.Case c = cases.get(i);
        double median = medians.get(i);
        double max = maxima.get(i);
        double caseBound =
            Math.max(
                c.body().length >= LARGE_BODY_BYTES && repeat < WARM_REPEAT
                    ? Math.max(bound, LARGE_BODY_MAX_MEDIAN_MS)
                    : bound,
                2 * validByOperation.getOrDefault(c.operation(), 0.0));
        if (c.status() != 200 && median > caseBound) {
          failures.add(c.name() + ": median " + median + " ms > " + caseBound + " ms");
        }
        caseJson
            .append(caseJson.length() > 0 ? "," : "")
            .append(
                String.format(
                    "{\"case\":\"%s\",\"status\":%d,\"type\":\"%s\",\"bodyBytes\":%d,"
                        + "\"medianMs\":%.1f,\"maxMs\":%.1f}",
                    c.name().replace("\"", "'").replace("\\", ""),
                    c.status(),
                    c.type(),
                    c.body().length,
                    median,
                    max));
      }
      ReliabilityHealthyTraffic.Window duringHostile = healthy.window();
      long heapAfterHostile = heap.retainedKb();

      ReliabilitySlowLoris.Outcome loris =
          ReliabilitySlowLoris.run(http.endpoint(), lorisCount, trickle, IDLE_TIMEOUT_SECONDS + 15);
      ReliabilityHealthyTraffic.Window duringLoris = healthy.window();
      long heapAfterLoris = heap.retainedKb();

      double base = baseline.percentile(99);
      String json =
          String.format(
              "{\"scenario\":\"6-hostile\",\"rejectionBoundMs\":%.1f,\"validCaseMedianMs\":%.1f,"
                  + "\"cases\":[%s],"
                  + "\"healthy\":{\"baselineP99Ms\":%.1f,"
                  + "\"baselineP50Ms\":%.1f,\"baselineCalls\":%d,\"hostileP99Ms\":%.1f,"
                  + "\"hostileCalls\":%d,\"lorisP99Ms\":%.1f,\"lorisCalls\":%d,\"errors\":%d},"
                  + "\"slowLoris\":{\"opened\":%d,\"cut\":%d,\"minCutSeconds\":%.1f,"
                  + "\"maxCutSeconds\":%.1f,\"seconds\":%.1f},\"heapRetainedKb\":{\"before\":%d,"
                  + "\"afterHostile\":%d,\"afterLoris\":%d},\"failures\":%d}",
              bound,
              validMedian,
              caseJson,
              base,
              baseline.percentile(50),
              baseline.millis().size(),
              duringHostile.percentile(99),
              duringHostile.millis().size(),
              duringLoris.percentile(99),
              duringLoris.millis().size(),
              baseline.errors() + duringHostile.errors() + duringLoris.errors(),
              loris.opened(),
              loris.cut(),
              loris.minCutSeconds(),
              loris.maxCutSeconds(),
              loris.seconds(),
              heapBefore,
              heapAfterHostile,
              heapAfterLoris,
              failures.size());
      ReliabilityHttp.writeResult("6-hostile.json", json);
      System.out.println(json);

      if (loris.cut() != loris.opened()) {
        failures.add("slow loris: only " + loris.cut() + " of " + loris.opened() + " cut");
      }
      if (loris.maxCutSeconds() > IDLE_TIMEOUT_SECONDS + 10) {
        failures.add("slow loris: cut only after " + loris.maxCutSeconds() + " s");
      }
      for (var w : List.of(duringHostile, duringLoris)) {
        if (w.percentile(99) > 2 * base) {
          failures.add("healthy p99 " + w.percentile(99) + " ms > 2 x baseline " + base + " ms");
        }
      }
      if (baseline.errors() + duringHostile.errors() + duringLoris.errors() > 0) {
        failures.add("healthy traffic had errors");
      }
      if (heapAfterHostile - heapBefore > MAX_RETAINED_GROWTH_KB) {
        failures.add(
            "retained heap grew "
                + (heapAfterHostile - heapBefore)
                + " KiB over the hostile cases");
      }
      if (heapAfterLoris - heapAfterHostile > MAX_LORIS_RETAINED_GROWTH_KB) {
        failures.add(
            "retained heap grew "
                + (heapAfterLoris - heapAfterHostile)
                + " KiB over the slow connections");
      }
    }
    failures.forEach(f -> System.out.println("6-hostile FAILURE " + f));
    assertEquals(List.of(), failures);
    assertTrue(cases.size() > 50);
  }

  private static String typeOf(String body) {
    try {
      return ReliabilityHttp.member(body, "__type");
    } catch (IllegalStateException e) {
      return "UNPARSEABLE";
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
