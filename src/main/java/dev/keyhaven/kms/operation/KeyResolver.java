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
import java.util.UUID;

/**
 * Turns a KeyId member into a stored key the caller may address.
 *
 * <p>AWS KMS API Reference, KeyId members: key id and alias name resolve in the caller's account;
 * key ARN and alias ARN may name another account. Until key policies are evaluated (identity
 * issue), a principal may use only keys of its own account: another account's ARN is
 * AccessDeniedException without a lookup, so nothing reveals whether that key exists.
 */
@ApplicationScoped
public class KeyResolver {
  private final KeyRepository keys;
  private final AliasRepository aliases;

  KeyResolver(KeyRepository keys, AliasRepository aliases) {
    this.keys = keys;
    this.aliases = aliases;
  }

  /**
   * @param allowAliases whether the operation accepts alias names and alias ARNs
   */
  public Uni<KmsKey> resolve(
      RequestContext context, KmsAction action, String keyId, boolean allowAliases) {
    KeyReference reference = KeyReference.parse(keyId, allowAliases);
    if (reference instanceof KeyReference.ById || reference instanceof KeyReference.ByArn) {
      return byIdOrArn(context, action, reference, false);
    }
    if (reference instanceof KeyReference.ByAliasName byAlias) {
      return byAlias(context, byAlias.alias());
    }
    KeyReference.ByAliasArn byAliasArn = (KeyReference.ByAliasArn) reference;
    requireSameAccount(context, action, byAliasArn.accountId(), byAliasArn.raw());
    return byAliasArn.region().equals(context.region())
        ? byAlias(context, byAliasArn.alias())
        : Uni.createFrom().failure(aliasNotFound(context, byAliasArn.alias()));
  }

  /**
   * Resolves a key id or key ARN (the only forms management operations accept) and locks the key's
   * row until the surrounding transaction ends.
   */
  public Uni<KmsKey> resolveForUpdate(RequestContext context, KmsAction action, String keyId) {
    return byIdOrArn(context, action, KeyReference.parse(keyId, false), true);
  }

  private Uni<KmsKey> byIdOrArn(
      RequestContext context, KmsAction action, KeyReference reference, boolean forUpdate) {
    if (reference instanceof KeyReference.ById byId) {
      return byId(context, byId.keyId(), forUpdate);
    }
    KeyArn arn = ((KeyReference.ByArn) reference).arn();
    requireSameAccount(context, action, arn.accountId(), arn.toString());
    return arn.region().equals(context.region())
        ? byId(context, arn.keyId(), forUpdate)
        : Uni.createFrom().failure(keyDoesNotExist(arn));
  }

  /**
   * The key a ciphertext names (Decrypt, ReEncrypt): same account rules as a key ARN, and one
   * answer whether the key is missing or another account's, so nothing reveals which.
   */
  public Uni<KmsKey> resolveFromCiphertext(RequestContext context, UUID keyId) {
    return keys.findById(keyId)
        .map(
            found ->
                found
                    .filter(k -> k.accountId().equals(context.accountId()))
                    .filter(k -> k.arn().region().equals(context.region()))
                    // AWS answers AccessDeniedException with this wording when the blob names
                    // a key that does not exist here or that the caller cannot use.
                    .orElseThrow(
                        () ->
                            new KmsException(
                                ErrorCode.ACCESS_DENIED,
                                "The ciphertext refers to a customer master key that does not"
                                    + " exist, does not exist in this region, or you are not"
                                    + " allowed to access.")));
  }

  private Uni<KmsKey> byId(RequestContext context, UUID keyId, boolean forUpdate) {
    KeyArn expected = new KeyArn(context.region(), context.accountId(), keyId);
    return (forUpdate ? keys.findByIdForUpdate(keyId) : keys.findById(keyId))
        .map(
            found ->
                found
                    .filter(k -> k.arn().equals(expected))
                    .orElseThrow(() -> keyDoesNotExist(expected)));
  }

  private Uni<KmsKey> byAlias(RequestContext context, AliasName alias) {
    return aliases
        .find(context.accountId(), context.region(), alias)
        .flatMap(
            found ->
                found
                    .map(a -> byId(context, a.targetKeyId(), false))
                    .orElseGet(() -> Uni.createFrom().failure(aliasNotFound(context, alias))));
  }

  private static void requireSameAccount(
      RequestContext context, KmsAction action, String accountId, String resource) {
    if (!accountId.equals(context.accountId())) {
      throw accessDenied(context, action, resource);
    }
  }

  /** AWS's AccessDeniedException wording for a denial with no policy allowing the action. */
  public static KmsException accessDenied(
      RequestContext context, KmsAction action, String resource) {
    return new KmsException(
        ErrorCode.ACCESS_DENIED,
        "User: " + context.caller().principalArn() + " is not authorized to perform: "
            + action.iamAction() + " on resource: " + resource
            + " because no resource-based policy allows the " + action.iamAction() + " action");
  }

  static KmsException keyDoesNotExist(KeyArn arn) {
    return KmsException.notFound("Key '" + arn + "' does not exist");
  }

  static KmsException aliasNotFound(RequestContext context, AliasName alias) {
    return KmsException.notFound(
        "Alias " + alias.arn(context.region(), context.accountId()) + " is not found.");
  }
}
