package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.key.KmsAction;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * What the service counts (docs/self-hosting.md, "Metrics"): one call per answered request, per
 * audit group commit and per maintenance run. Implementations are the Prometheus registry in the
 * server and CloudWatch Embedded Metric Format lines in the Lambda functions.
 *
 * <p>Contract: every label is drawn from a closed set — an action, an outcome, an AWS error code, a
 * key state — never a key id, an alias, a principal or anything else a caller chooses. The
 * per-request call must be cheap (a counter and a timer update, no allocation on the steady path)
 * and must never throw.
 */
public interface ServiceMetrics {
  /**
   * One answered request. {@code action} is null when the request named no action this build serves
   * (unknown operation, failed authentication before dispatch, a path that is no KMS endpoint);
   * {@code error} is null for a success.
   */
  void request(KmsAction action, ErrorCode error, long nanos);

  /**
   * One audit group commit of {@code events} events (0: a checkpoint only), and whether it
   * committed.
   */
  void auditCommit(int events, long nanos, boolean committed);

  /** One run of the maintenance job; {@code succeeded} false: it failed (the counts are then 0). */
  void maintenanceRun(int rotated, int deleted, int expired, boolean succeeded);

  /** Reports nothing (builds and tests without metrics). */
  ServiceMetrics NONE =
      new ServiceMetrics() {
        @Override
        public void request(KmsAction action, ErrorCode error, long nanos) {}

        @Override
        public void auditCommit(int events, long nanos, boolean committed) {}

        @Override
        public void maintenanceRun(int rotated, int deleted, int expired, boolean succeeded) {}
      };

  /**
   * Values a component keeps anyway (cache hits, queue depth, pool size, key counts), read when the
   * metrics are scraped — never on a request's path.
   */
  interface Readings {
    /** One value: a gauge, or a counter that only grows; {@code labels} from a closed set. */
    record Reading(
        String name,
        String help,
        boolean counter,
        Map<String, String> labels,
        DoubleSupplier value) {
      public static Reading gauge(String name, String help, DoubleSupplier value) {
        return new Reading(name, help, false, Map.of(), value);
      }

      public static Reading counter(String name, String help, DoubleSupplier value) {
        return new Reading(name, help, true, Map.of(), value);
      }
    }

    List<Reading> readings();
  }
}
