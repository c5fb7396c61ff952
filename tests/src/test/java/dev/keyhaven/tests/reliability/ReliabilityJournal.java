package dev.keyhaven.tests.reliability;

import dev.keyhaven.tests.reliability.ReliabilityClient.Answer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every request a driver made and its answer, in memory (the driver's JVM is never the one
 * killed). Counts the answers and checks the audit trail against them: every 200 must have its
 * stored audit event.
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
