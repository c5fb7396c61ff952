package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.operation.port.ServiceEventLog;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@link ServiceEventLog} until the audit trail exists: records nothing. The audit trail's
 * bean replaces it (this one is only the default), writing each event in the caller's transaction.
 */
@DefaultBean
@ApplicationScoped
public class NoServiceEventLog implements ServiceEventLog {
  @Override
  public Uni<Void> record(ServiceEvent event) {
    return Uni.createFrom().voidItem();
  }
}
