package dev.keyhaven.tests.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the drivers read straight from Keyhaven's PostgreSQL ({@code $RELIABILITY_JDBC}, user
 * postgres): the stored audit trail and the key rows. Read-only; the checks compare it with what
 * the clients were answered.
 */
public final class ReliabilityDatabase {
  private ReliabilityDatabase() {}

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(ReliabilityEnv.required("RELIABILITY_JDBC"), "postgres", "");
  }

  /** Every request id the stored audit trail holds. */
  public static Set<String> auditedRequestIds() throws SQLException {
    Set<String> ids = new HashSet<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT request_id FROM audit_event WHERE request_id IS NOT NULL")) {
      while (r.next()) {
        ids.add(r.getString(1));
      }
    }
    return ids;
  }

  /** Request id → the key ARN the stored event names, for every event of {@code eventName}. */
  public static Map<String, String> auditedKeys(String eventName) throws SQLException {
    Map<String, String> keys = new HashMap<>();
    try (Connection c = connect();
        var s =
            c.prepareStatement(
                "SELECT request_id, key_arn FROM audit_event WHERE event_name = ?")) {
      s.setString(1, eventName);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          keys.put(r.getString(1), r.getString(2));
        }
      }
    }
    return keys;
  }

  /**
   * Keys whose material rows break the invariant "a key has versions 1..current_version, the
   * current one is the row named by current_key_material_id": Enabled keys without their current
   * material, and keys with a version above current_version or a gap below it.
   */
  public static long keysWithBrokenMaterial() throws SQLException {
    String sql =
        "SELECT count(*) FROM kms_key k WHERE"
            + " (k.key_state = 'Enabled' AND NOT EXISTS (SELECT 1 FROM key_material m"
            + "   WHERE m.key_id = k.key_id AND m.version = k.current_version"
            + "   AND m.key_material_id = k.current_key_material_id))"
            + " OR EXISTS (SELECT 1 FROM key_material m WHERE m.key_id = k.key_id"
            + "   AND m.version > k.current_version)"
            + " OR (k.key_spec = 'SYMMETRIC_DEFAULT' AND k.origin = 'AWS_KMS' AND"
            + "   (SELECT count(*) FROM key_material m WHERE m.key_id = k.key_id)"
            + "   <> k.current_version)";
    return count(sql);
  }

  /** The ids of all Enabled keys. */
  public static Set<String> enabledKeys() throws SQLException {
    Set<String> ids = new HashSet<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT key_id FROM kms_key WHERE key_state = 'Enabled'")) {
      while (r.next()) {
        ids.add(r.getString(1));
      }
    }
    return ids;
  }

  /** The current material version of one key. */
  public static long currentVersion(String keyId) throws SQLException {
    // A UUID (parsed) is safe to inline.
    return count(
        "SELECT current_version FROM kms_key WHERE key_id = '"
            + java.util.UUID.fromString(keyId)
            + "'");
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
