package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KeyState;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The read-check-write every key management operation does, in one transaction: lock the key's row,
 * enforce the key-state table for the action, apply the change, store it. Concurrent writers to one
 * key queue on the row lock, so no update is lost.
 */
@ApplicationScoped
public class KeyUpdates {
  private final KeyResolver resolver;
  private final KeyRepository keys;

  KeyUpdates(KeyResolver resolver, KeyRepository keys) {
    this.resolver = resolver;
    this.keys = keys;
  }

  /**
   * @param keyId the KeyId member (key id or key ARN)
   * @param conditions the request's condition keys for authorization
   * @param change the new value of the key; returning the same instance stores nothing
   * @return the key as stored
   */
  public Uni<KmsKey> update(
      RequestContext context,
      KmsAction action,
      KeyReference keyId,
      Conditions conditions,
      UnaryOperator<KmsKey> change) {
    return updateWith(
        context, action, keyId, conditions, key -> Uni.createFrom().item(change.apply(key)));
  }

  /**
   * The management operations that change a key and answer {@code {}} (TagResource, UntagResource,
   * UpdateKeyDescription, Enable/DisableKeyRotation): {@link #update}, then the empty result.
   */
  public Uni<NoResult> change(
      RequestContext context,
      KmsAction action,
      KeyReference keyId,
      Conditions conditions,
      UnaryOperator<KmsKey> change) {
    return update(context, action, keyId, conditions, change).replaceWith(NoResult.INSTANCE);
  }

  /**
   * EnableKey ({@code ENABLED}) and DisableKey ({@code DISABLED}): the key to {@code state}; a key
   * already in it is not written again.
   */
  public Uni<NoResult> changeState(
      RequestContext context, KmsAction action, KeyReference keyId, KeyState state) {
    return change(
        context,
        action,
        keyId,
        Conditions.none(),
        key -> key.keyState() == state ? key : key.withState(state));
  }

  /** As {@link #update}, for a change that needs I/O (e.g. checking a new key policy). */
  public Uni<KmsKey> updateWith(
      RequestContext context,
      KmsAction action,
      KeyReference keyId,
      Conditions conditions,
      Function<KmsKey, Uni<KmsKey>> change) {
    return withLockedKey(
        context,
        action,
        keyId,
        conditions,
        key ->
            change
                .apply(key)
                .chain(
                    changed -> changed == key ? Uni.createFrom().item(key) : keys.update(changed)));
  }

  /**
   * The locked read-check part alone: in the request's transaction (RequestPipeline opens one for
   * every state-changing action), lock the key's row, enforce the key-state table, then {@code
   * work}, which stores what it changes itself (e.g. a rotation, which adds a material version
   * along with the key's new metadata).
   */
  public <T> Uni<T> withLockedKey(
      RequestContext context,
      KmsAction action,
      KeyReference keyId,
      Conditions conditions,
      Function<KmsKey, Uni<T>> work) {
    return resolver
        .resolveForUpdate(context, action, keyId, conditions)
        .chain(key -> work.apply(key.requireStateFor(action)));
  }
}
