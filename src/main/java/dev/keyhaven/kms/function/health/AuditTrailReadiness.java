package dev.keyhaven.kms.function.health;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.operation.port.AuditLog;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness ({@code GET /q/health/ready}; docs/self-hosting.md, "Health"): DOWN while PostgreSQL
 * does not answer a write on this writer's audit chain within {@code
 * kms.operations.readiness-timeout}, or while audit appends are failing (the last one failed within
 * {@code kms.operations.audit-failure-window} and none committed since) — the times this server
 * would answer every request with a 5xx anyway (it fails closed). UP again at the first probe after
 * both hold. Also DOWN before startup has leased a chain, and from the start of a graceful shutdown
 * (Quarkus's own shutdown check).
 *
 * <p>Unauthenticated and never audited: the answer holds only UP/DOWN and a fixed reason, never a
 * database message, host or key.
 */
@Readiness
@ApplicationScoped
public class AuditTrailReadiness implements AsyncHealthCheck {
  static final String NAME = "audit-trail";

  private final AuditLog audit;
  private final Duration timeout;
  private final Duration failureWindow;

  AuditTrailReadiness(AuditLog audit, KmsConfig config) {
    this.audit = audit;
    this.timeout = config.operations().readinessTimeout();
    this.failureWindow = config.operations().auditFailureWindow();
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    String failing = audit.unwritableSince(failureWindow);
    if (failing != null) {
      return Uni.createFrom().item(down(failing));
    }
    return audit
        .probe()
        .ifNoItem()
        .after(timeout)
        .fail()
        .map(ok -> HealthCheckResponse.up(NAME))
        .onFailure()
        .recoverWithItem(
            failure ->
                down(
                    "PostgreSQL did not accept a write on the audit chain in "
                        + timeout.toMillis()
                        + " ms"));
  }

  private static HealthCheckResponse down(String reason) {
    return HealthCheckResponse.named(NAME).down().withData("reason", reason).build();
  }
}
