package dev.keyhaven.kms.protocol;

import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.OperationDeclaration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The {@code X-Amz-Target} dispatch table: {@code TrentService.<Operation>} (and {@code
 * KeyhavenAdmin.<Operation>} for the extension API) → the operation's {@link OperationDeclaration}.
 * Built once at startup from every {@link KmsOperation} bean present in this build: each bean's
 * {@code @Action}, request record and member rules are read here, once, so no request pays for
 * reflection.
 *
 * <p>In a Lambda function the build keeps only the function's own operations ({@link
 * FunctionScope}); startup fails if a bean of another function is present anyway. A known action
 * served by the other function is refused with {@code UnknownOperationException} whose message
 * names that function and its endpoint, so a misrouted call says where it belongs.
 */
@ApplicationScoped
public class OperationRegistry {
  private static final Logger LOG = Logger.getLogger(OperationRegistry.class);

  private static final Map<String, KmsAction> ACTIONS = new HashMap<>();

  static {
    for (KmsAction action : KmsAction.values()) {
      if (action.service() != KmsAction.Service.XKS) {
        ACTIONS.put(action.target(), action);
      }
    }
  }

  private final Map<String, OperationDeclaration<?, ?>> byTarget = new TreeMap<>();

  /** The XKS proxy API's operations: reached by path (XksRequests), never by X-Amz-Target. */
  private final Map<KmsAction, OperationDeclaration<?, ?>> xks = new EnumMap<>(KmsAction.class);

  private final FunctionScope scope;
  private final KmsConfig.Endpoints endpoints;

  @Inject
  OperationRegistry(@Any Instance<KmsOperation<?, ?>> operations, KmsConfig config) {
    this(operations, FunctionScope.current(), config.endpoints());
  }

  OperationRegistry(
      Iterable<? extends KmsOperation<?, ?>> operations,
      FunctionScope scope,
      KmsConfig.Endpoints endpoints) {
    this.scope = scope;
    this.endpoints = endpoints;
    for (KmsOperation<?, ?> bean : operations) {
      OperationDeclaration<?, ?> operation = OperationDeclaration.of(bean);
      if (!scope.serves(operation.action())) {
        throw new IllegalStateException(
            operation.action().target()
                + " is in the "
                + scope.label()
                + " function's build, which must not contain it");
      }
      if (operation.action().service() == KmsAction.Service.XKS) {
        xks.put(operation.action(), operation);
      } else {
        byTarget.put(operation.action().target(), operation);
      }
    }
    LOG.infof("operations served (%s): %s", scope.label(), byTarget.keySet());
  }

  public Optional<OperationDeclaration<?, ?>> find(String target) {
    return Optional.ofNullable(target == null ? null : byTarget.get(target));
  }

  /**
   * The operation for {@code target}, or the AWS error for a target this build does not serve:
   * unknown everywhere, or served by the other function.
   */
  public OperationDeclaration<?, ?> require(String target) {
    return find(target).orElseThrow(() -> notServed(target));
  }

  private KmsException notServed(String target) {
    KmsAction action = target == null ? null : ACTIONS.get(target);
    if (action == null || !scope.isLambda()) {
      return new KmsException(ErrorCode.UNKNOWN_OPERATION, "Unknown operation " + target);
    }
    FunctionScope home = FunctionScope.servingFunction(action);
    String endpoint = home == FunctionScope.CRYPTO ? endpoints.crypto() : endpoints.admin();
    return new KmsException(
        ErrorCode.UNKNOWN_OPERATION,
        action.wireName()
            + " is not served by this endpoint (Keyhaven's "
            + scope.label()
            + " function). Send it to the "
            + home.label()
            + " function: "
            + endpoint);
  }

  /** The XKS proxy API operation of {@code action}, if this build serves it. */
  public Optional<OperationDeclaration<?, ?>> xks(KmsAction action) {
    return Optional.ofNullable(xks.get(action));
  }

  /** The operation names served, e.g. {@code Encrypt}. */
  public Set<String> targets() {
    return Collections.unmodifiableSet(byTarget.keySet());
  }
}
