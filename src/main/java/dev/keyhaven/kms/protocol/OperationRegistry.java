package dev.keyhaven.kms.protocol;

import dev.keyhaven.kms.operation.KmsOperation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The {@code X-Amz-Target} dispatch table: {@code TrentService.<Operation>} (and {@code
 * KeyhavenAdmin.<Operation>} for the extension API) → the operation bean.
 * Built once at startup from every {@link KmsOperation} bean present in this build.
 */
@ApplicationScoped
public class OperationRegistry {
  private static final Logger LOG = Logger.getLogger(OperationRegistry.class);

  private final Map<String, KmsOperation<?, ?>> byTarget = new TreeMap<>();

  OperationRegistry(@Any Instance<KmsOperation<?, ?>> operations) {
    for (KmsOperation<?, ?> operation : operations) {
      byTarget.put(operation.action().target(), operation);
    }
    LOG.infof("operations served: %s", byTarget.keySet());
  }

  public Optional<KmsOperation<?, ?>> find(String target) {
    return Optional.ofNullable(target == null ? null : byTarget.get(target));
  }

  /** The operation names served, e.g. {@code Encrypt}. */
  public java.util.Set<String> targets() {
    return java.util.Collections.unmodifiableSet(byTarget.keySet());
  }
}
