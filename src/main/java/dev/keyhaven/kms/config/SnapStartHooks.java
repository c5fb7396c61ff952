package dev.keyhaven.kms.config;

import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.adapter.persistence.PgAuditLog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Registers the checkpoint/restore hooks with the JVM's global CRaC context at startup, in every
 * build. Lambda SnapStart (the {@code java21} runtime with {@code SnapStart: PublishedVersions},
 * sam-template.yaml) runs them around the snapshot it takes after init; on a JVM without CRaC the
 * org.crac library keeps them and nothing ever calls them.
 *
 * <p>The hooks: {@link Fips#DRBGS} (every approved DRBG is reseeded before its next byte after a
 * restore) and the audit writer's ({@link PgAuditLog#snapshotHook}: its chain lease is given up
 * before the snapshot, and each restored copy leases a chain of its own). The global context
 * holds resources weakly, so this bean keeps them.
 */
@ApplicationScoped
public class SnapStartHooks {
  private final List<Resource> hooks;

  @Inject
  SnapStartHooks(PgAuditLog audit) {
    this(audit.snapshotHook());
  }

  /** The hooks, with {@code auditLease} as the audit writer's. */
  public SnapStartHooks(Resource auditLease) {
    this.hooks = List.of(Fips.DRBGS, auditLease);
  }

  void register(@Observes StartupEvent started) {
    register(Core.getGlobalContext());
  }

  /** Registers every hook with {@code context}. */
  public void register(Context<Resource> context) {
    hooks.forEach(context::register);
  }

  /** The hooks, in registration order. */
  public List<Resource> hooks() {
    return hooks;
  }
}
