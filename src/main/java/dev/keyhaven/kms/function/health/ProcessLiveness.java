package dev.keyhaven.kms.function.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness ({@code GET /q/health/live}; docs/self-hosting.md, "Health"): UP whenever the process
 * answers HTTP at all. Deliberately independent of PostgreSQL: a database outage makes the server
 * unready, never a candidate for a restart — restarting it would not bring the database back, and
 * the server recovers by itself when it returns (docs/reliability.md).
 */
@Liveness
@ApplicationScoped
public class ProcessLiveness implements HealthCheck {
  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.up("process");
  }
}
