package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.audit.AuditEvent;
import dev.keyhaven.kms.domain.key.KmsKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys one request resolved, in order, each once: the {@code resources} of its audit event
 * (CloudTrail lists the resolved key ARN even when the request named an alias, and even when it was
 * then denied). Written by the request's own processing only.
 */
public final class TouchedKeys {
  private final List<AuditEvent.Resource> resources = new ArrayList<>(2);

  public synchronized void add(KmsKey key) {
    AuditEvent.Resource resource =
        AuditEvent.Resource.kmsKey(key.accountId(), key.arn().toString());
    if (!resources.contains(resource)) {
      resources.add(resource);
    }
  }

  public synchronized List<AuditEvent.Resource> resources() {
    return List.copyOf(resources);
  }

  /** The account owning the first key, or null if none was resolved. */
  public synchronized String ownerAccount() {
    return resources.isEmpty() ? null : resources.get(0).accountId();
  }
}
