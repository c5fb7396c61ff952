package dev.keyhaven.kms.function.lambda;

import dev.keyhaven.kms.operation.port.DatabaseSetup;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Stands in for the deployment's migrate step in the function tests: before the function's own
 * startup checks run ({@code DatabaseStartup}, default observer priority), the fresh test database
 * is migrated through {@link DatabaseSetup#migrate} — the call the migrate handler makes on deploy.
 * Functions never migrate at startup themselves.
 */
@ApplicationScoped
public class DeployedSchema {
  void migrate(@Observes @Priority(1) StartupEvent event, DatabaseSetup database) {
    database.migrate();
  }
}
