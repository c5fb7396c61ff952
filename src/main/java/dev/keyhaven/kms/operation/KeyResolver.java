package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AliasName;
import dev.keyhaven.kms.domain.key.KeyArn;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.port.AliasRepository;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a KeyId member into a stored key the caller is authorized to use for the action.
 *
 * <p>AWS KMS API Reference, KeyId members: key id and alias name resolve in the caller's account;
 * key ARN and alias ARN may name another account, which works only for the actions AWS allows
 * cross-account ({@link KmsAction#crossAccount()}) and only when the key policy and the caller's
 * identity policy allow it. Every key this class returns has passed {@link Authorization}.
 *
 * <p>No existence oracle across accounts (docs/identity.md, "What a denial reveals"): for a key or
 * alias ARN of another account, the answer to a caller that may not use the key is the same
 * AccessDeniedException — code and message, naming only what the caller sent — whether the key or
 * alias exists or not, and for an action that is never cross-account. Only the caller's own account
 * answers NotFoundException, as AWS does.
 */
@ApplicationScoped
public class KeyResolver {
  private final KeyRepository keys;
  private final AliasRepository aliases;
  private final Authorization authorization;

  KeyResolver(KeyRepository keys, AliasRepository aliases, Authorization authorization) {
    this.keys = keys;
    this.aliases = aliases;
    this.authorization = authorization;
  }

  /**
   * @param allowAliases whether the operation accepts alias names and alias ARNs
   * @param conditions the request's own condition keys (encryption context, …)
   */
  public Uni<KmsKey> resolve(
      RequestContext context,
      KmsAction action,
      KeyReference keyId,
      boolean allowAliases,
      Conditions conditions) {
    Conditions withAlias = conditions.requestAlias(keyId.raw());
    return locate(context, action, accepted(context, keyId, allowAliases), false, withAlias)
        .invoke(key -> noteOwnKey(context, key))
        .call(key -> authorization.require(context, action, key, withAlias, keyId.raw()))
        .invoke(context.touchedKeys()::add);
  }

  /**
   * Resolves a key id or key ARN (the only forms management operations accept), authorizes, and
   * locks the key's row until the surrounding transaction ends.
   */
  public Uni<KmsKey> resolveForUpdate(
      RequestContext context, KmsAction action, KeyReference keyId, Conditions conditions) {
    return locate(context, action, accepted(context, keyId, false), true, conditions)
        .invoke(key -> noteOwnKey(context, key))
        .call(key -> authorization.require(context, action, key, conditions, keyId.raw()))
        .invoke(context.touchedKeys()::add);
  }

  /**
   * The key a ciphertext names (Decrypt, ReEncrypt), authorized for {@code action}. A key that does
   * not exist here answers AWS's AccessDeniedException wording.
   */
  public Uni<KmsKey> resolveFromCiphertext(
      RequestContext context, KmsAction action, UUID keyId, Conditions conditions) {
    return keys.findById(keyId)
        .map(
            found ->
                found
                    .filter(k -> k.arn().region().equals(context.region()))
                    .filter(k -> k.accountId().equals(context.accountId()) || action.crossAccount())
                    .orElseThrow(KeyResolver::ciphertextKeyNotAccessible))
        .invoke(key -> noteOwnKey(context, key))
        .call(
            key ->
                key.accountId().equals(context.accountId())
                    ? authorization.require(context, action, key, conditions)
                    // Another account's key: one answer whether it is missing or forbidden.
                    : authorization
                        .require(context, action, key, conditions)
                        .onFailure(KmsException.class)
                        .transform(e -> ciphertextKeyNotAccessible()))
        .invoke(context.touchedKeys()::add);
  }

  /**
   * Records a key of the caller's own account before authorization, so a denied request's event
   * still names it. Another account's key is recorded only once authorized: otherwise the caller's
   * trail would tell a denied key from a missing one.
   */
  private static void noteOwnKey(RequestContext context, KmsKey key) {
    if (key.accountId().equals(context.accountId())) {
      context.touchedKeys().add(key);
    }
  }

  /** AWS's AccessDeniedException wording when a ciphertext names a key the caller cannot use. */
  private static KmsException ciphertextKeyNotAccessible() {
    return new KmsException(
        ErrorCode.ACCESS_DENIED,
        "The ciphertext refers to a customer master key that does not exist, does not exist in"
            + " this region, or you are not allowed to access.");
  }

  /**
   * A KeyId member of a form the operation accepts ({@link KeyReference#requireForm}), checked here
   * — after the member rules and the operation's own checks, where AWS answers it. Recorded from
   * AWS (DescribeKey of a well-formed multi-Region key id no key has): NotFoundException {@code Key
   * 'arn:<partition>:kms:<region>:<account>:key/mrk-…' does not exist} — the caller's region and
   * account, as for an unknown key id — where an id of no known form answers {@code Invalid keyId
   * '<id>'}.
   */
  private static KeyReference accepted(
      RequestContext context, KeyReference keyId, boolean allowAliases) {
    if (KeyReference.isMultiRegionKeyId(keyId.raw())) {
      throw KmsException.notFound(
          "Key 'arn:"
              + context.partition()
              + ":kms:"
              + context.region()
              + ":"
              + context.accountId()
              + ":key/"
              + keyId.raw()
              + "' does not exist");
    }
    return keyId.requireForm(allowAliases);
  }

  /**
   * The stored key {@code reference} names, not yet authorized. The caller's own account answers
   * NotFoundException as AWS does; for another account's key or alias that does not exist, and for
   * an action that is never cross-account, the answer is {@link Authorization#denyWithoutKey}'s —
   * the one an existing key that does not admit the caller gets.
   */
  private Uni<KmsKey> locate(
      RequestContext context,
      KmsAction action,
      KeyReference reference,
      boolean forUpdate,
      Conditions conditions) {
    if (reference instanceof KeyReference.ById byId) {
      KeyArn expected =
          new KeyArn(context.partition(), context.region(), context.accountId(), byId.keyId());
      return load(byId.keyId(), forUpdate)
          .map(
              found ->
                  found
                      .filter(k -> k.arn().equals(expected))
                      .orElseThrow(() -> keyDoesNotExist(expected)));
    }
    if (reference instanceof KeyReference.ByArn byArn) {
      KeyArn arn = byArn.arn();
      // A key of another region or partition is never served here: AWS's answer for a key ARN
      // that names no key, whichever account it names.
      if (!arn.region().equals(context.region()) || !arn.partition().equals(context.partition())) {
        return Uni.createFrom().failure(keyDoesNotExist(arn));
      }
      if (arn.accountId().equals(context.accountId())) {
        return load(arn.keyId(), forUpdate)
            .map(
                found ->
                    found.filter(k -> k.arn().equals(arn)).orElseThrow(() -> keyDoesNotExist(arn)));
      }
      if (!action.crossAccount()) {
        return authorization.denyWithoutKey(context, action, conditions, byArn.raw());
      }
      return load(arn.keyId(), forUpdate)
          .chain(
              found ->
                  found
                      .filter(k -> k.arn().equals(arn))
                      .map(k -> Uni.createFrom().item(k))
                      .orElseGet(
                          () ->
                              authorization.denyWithoutKey(
                                  context, action, conditions, byArn.raw())));
    }
    if (reference instanceof KeyReference.ByAliasName byAlias) {
      return byAlias(
          context, action, context.accountId(), byAlias.alias(), byAlias.raw(), conditions);
    }
    KeyReference.ByAliasArn byAliasArn = (KeyReference.ByAliasArn) reference;
    if (!byAliasArn.region().equals(context.region())
        || !byAliasArn.partition().equals(context.partition())) {
      return Uni.createFrom()
          .failure(
              aliasNotFound(
                  byAliasArn.partition(),
                  byAliasArn.region(),
                  byAliasArn.accountId(),
                  byAliasArn.alias()));
    }
    if (!byAliasArn.accountId().equals(context.accountId()) && !action.crossAccount()) {
      return authorization.denyWithoutKey(context, action, conditions, byAliasArn.raw());
    }
    return byAlias(
        context, action, byAliasArn.accountId(), byAliasArn.alias(), byAliasArn.raw(), conditions);
  }

  private Uni<Optional<KmsKey>> load(UUID keyId, boolean forUpdate) {
    return forUpdate ? keys.findByIdForUpdate(keyId) : keys.findById(keyId);
  }

  /**
   * The key an alias of {@code accountId} points at. A missing alias (or a missing target) of the
   * caller's own account is AWS's NotFoundException; of another account, the answer of a key that
   * does not admit the caller.
   */
  private Uni<KmsKey> byAlias(
      RequestContext context,
      KmsAction action,
      String accountId,
      AliasName alias,
      String raw,
      Conditions conditions) {
    boolean own = accountId.equals(context.accountId());
    return aliases
        .find(accountId, context.region(), alias)
        .chain(
            found ->
                found.isPresent()
                    ? keys.findById(found.get().targetKeyId())
                    : Uni.createFrom().item(Optional.<KmsKey>empty()))
        .chain(
            key ->
                key.map(k -> Uni.createFrom().item(k))
                    .orElseGet(
                        () ->
                            own
                                ? Uni.createFrom().failure(aliasNotFound(context, alias))
                                : authorization.denyWithoutKey(context, action, conditions, raw)));
  }

  /** AWS's AccessDeniedException wording for a denial with no policy allowing the action. */
  public static KmsException accessDenied(
      RequestContext context, KmsAction action, String resource) {
    return new KmsException(
        ErrorCode.ACCESS_DENIED,
        "User: "
            + context.caller().principalArn()
            + " is not authorized to perform: "
            + action.iamAction()
            + " on resource: "
            + resource
            + " because no resource-based policy allows the "
            + action.iamAction()
            + " action");
  }

  /** AWS's NotFoundException for a key ARN that names no key of its account and region. */
  public static KmsException keyDoesNotExist(KeyArn arn) {
    return KmsException.notFound("Key '" + arn + "' does not exist");
  }

  /** AWS's NotFoundException for an alias the caller's account and region do not have. */
  public static KmsException aliasNotFound(RequestContext context, AliasName alias) {
    return aliasNotFound(context.partition(), context.region(), context.accountId(), alias);
  }

  private static KmsException aliasNotFound(
      String partition, String region, String accountId, AliasName alias) {
    return KmsException.notFound(
        "Alias " + alias.arn(partition, region, accountId) + " is not found.");
  }
}
