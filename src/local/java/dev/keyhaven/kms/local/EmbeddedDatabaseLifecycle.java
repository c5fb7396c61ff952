package dev.keyhaven.kms.local;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Orders the embedded PostgreSQL's stop after the application's: on SIGTERM the JVM runs its
 * shutdown hooks at once, and without this PostgreSQL would stop while Quarkus's graceful shutdown
 * still finishes in-flight requests and their audit commits (docs/self-hosting.md, "Graceful
 * shutdown").
 */
@ApplicationScoped
public class EmbeddedDatabaseLifecycle {
  void started(@Observes StartupEvent event) {
    EmbeddedDatabase.applicationStarted();
  }

  /** Last of the shutdown observers (the audit lease is released before this). */
  void stopped(@Observes @Priority(Integer.MAX_VALUE - 1000) ShutdownEvent event) {
    EmbeddedDatabase.applicationStopped();
  }
}
