package dev.keyhaven.tests.reliability;

import dev.keyhaven.tests.reliability.ReliabilityClient.Answer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every request a driver made and its answer, in memory (the driver's JVM is never the one killed).
 * Counts the answers and checks the audit trail against them: every 200 must have its stored audit
 * event.
 */
public final class ReliabilityJournal {
  private final ConcurrentLinkedQueue<Answer<?>> answers = new ConcurrentLinkedQueue<>();

  public <T> Answer<T> add(Answer<T> answer) {
    answers.add(answer);
    return answer;
  }

  public List<Answer<?>> all() {
    return new ArrayList<>(answers);
  }

  public long requests() {
    return answers.size();
  }

  public long ok() {
    return answers.stream().filter(Answer::ok).count();
  }

  /** Requests sent that got no HTTP answer (in flight when a process died): excluded. */
  public long unknown() {
    return answers.stream().filter(Answer::unknown).count();
  }

  /** Requests never sent: the connection was refused (no server listening). */
  public long refused() {
    return answers.stream().filter(Answer::refused).count();
  }

  /** requests, ok, unknown, refused, errors (any other answer): the start of every report. */
  public java.util.Map<String, Object> counts() {
    java.util.Map<String, Object> n = new java.util.LinkedHashMap<>();
    n.put("requests", requests());
    n.put("ok", ok());
    n.put("unknown", unknown());
    n.put("refused", refused());
    n.put("errors", requests() - ok() - unknown() - refused());
    return n;
  }

  /**
   * Adds a failure to {@code failures} when any 200 lacks its stored audit event; returns how many
   * do.
   */
  public long checkAudited(List<String> failures) throws SQLException {
    List<String> missing = okWithoutAuditEvent();
    if (!missing.isEmpty()) {
      failures.add(
          missing.size() + " answers with 200 have no audit event, e.g. " + missing.get(0));
    }
    return missing.size();
  }

  /** The p-th percentile of ascending {@code sorted} (nearest rank); -1 when empty. */
  public static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** Runs every task on its own thread and waits for all; a task's exception fails the run. */
  public static void parallel(List<Runnable> tasks) throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(tasks.size());
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (Runnable task : tasks) {
        futures.add(pool.submit(task));
      }
      for (java.util.concurrent.Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Every answer that names a request id (the KMS handler answered it, whatever the status) but
   * whose event the stored trail does not hold (scenario 9: SIGTERM under load).
   */
  public List<String> answeredWithoutAuditEvent() throws SQLException {
    Set<String> audited = ReliabilityDatabase.auditedRequestIds();
    List<String> missing = new ArrayList<>();
    for (Answer<?> a : answers) {
      if (a.status() > 0 && a.requestId() != null && !audited.contains(a.requestId())) {
        missing.add(a.operation() + " " + a.status() + " " + a.requestId());
      }
    }
    return missing;
  }

  /** The 200 answers whose request id the stored audit trail does not hold. */
  public List<String> okWithoutAuditEvent() throws SQLException {
    Set<String> audited = ReliabilityDatabase.auditedRequestIds();
    List<String> missing = new ArrayList<>();
    for (Answer<?> a : answers) {
      if (a.ok() && (a.requestId() == null || !audited.contains(a.requestId()))) {
        missing.add(a.operation() + " " + a.requestId());
      }
    }
    return missing;
  }
}
