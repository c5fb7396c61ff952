package dev.keyhaven.kms.function;

import dev.keyhaven.kms.adapter.aws.DatabaseSecretCredentials;
import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.adapter.persistence.PgAuditLog;
import dev.keyhaven.kms.adapter.persistence.SnapshotConnections;
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
 * <p>The hooks, in registration order: {@link Fips#DRBGS} (every approved DRBG is reseeded before
 * its next byte after a restore); {@link DatabaseSecretCredentials} (the database secret is read
 * again for the next connection after a restore); {@link SnapshotConnections} (no database
 * connection crosses the snapshot); and the audit writer's ({@link PgAuditLog#snapshotHook}: its
 * chain lease is given up before the snapshot, and each restored copy leases a chain of its own).
 * CRaC runs {@code beforeCheckpoint} in the reverse order and {@code afterRestore} in this one, so
 * the lease is given up while the pool still has connections, and they are checked before anything
 * uses them. The global context holds resources weakly, so this bean keeps them.
 */
@ApplicationScoped
public class SnapStartHooks {
  private final List<Resource> hooks;

  @Inject
  SnapStartHooks(
      DatabaseSecretCredentials credentials, SnapshotConnections connections, PgAuditLog audit) {
    this(credentials, connections, audit.snapshotHook());
  }

  /** The hooks, with the given database credentials', connections' and audit writer's. */
  public SnapStartHooks(Resource credentials, Resource connections, Resource auditLease) {
    this.hooks = List.of(Fips.DRBGS, credentials, connections, auditLease);
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
