package dev.keyhaven.tests.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenario 9 (docs/self-hosting.md, "Metrics"): the audit trail's request events of one server
 * process, for comparison with that process's request counters.
 *
 * <ul>
 *   <li>{@code mark}: prints every chain's last seq as {@code chain:seq,...} — taken while no
 *       server runs, so every later event is the next process's;
 *   <li>{@code count MARK}: prints {@code event_name|error_code|count} for the events after {@code
 *       MARK} (later seqs of its chains, and every event of chains made since), service events (the
 *       maintenance job's, no requests) left out.
 * </ul>
 */
public final class ReliabilityAuditCounts {
  public static void main(String[] args) throws SQLException {
    try (Connection c =
        DriverManager.getConnection(ReliabilityEnv.required("RELIABILITY_JDBC"), "postgres", "")) {
      if (args[0].equals("mark")) {
        StringBuilder mark = new StringBuilder();
        try (ResultSet r =
            c.createStatement()
                .executeQuery("SELECT chain_id, last_seq FROM audit_chain ORDER BY 1")) {
          while (r.next()) {
            mark.append(mark.length() == 0 ? "" : ",")
                .append(r.getLong(1))
                .append(':')
                .append(r.getLong(2));
          }
        }
        System.out.println(mark);
        return;
      }
      Map<Long, Long> after = new LinkedHashMap<>();
      if (args.length > 1 && !args[1].isBlank()) {
        for (String part : args[1].split(",")) {
          String[] cs = part.split(":");
          after.put(Long.parseLong(cs[0]), Long.parseLong(cs[1]));
        }
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT chain_id, seq, event_name, coalesce(error_code, ''), event_json::text"
                  + " FROM audit_event")) {
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            Long mark = after.get(r.getLong(1));
            if ((mark != null && r.getLong(2) <= mark)
                || r.getString(5).contains("\"eventType\":\"AwsServiceEvent\"")) {
              continue;
            }
            counts.merge(r.getString(3) + "|" + r.getString(4), 1L, Long::sum);
          }
        }
      }
      counts.forEach((k, v) -> System.out.println(k + "|" + v));
    }
  }
}
