package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.xks.XksKeyStore;
import dev.keyhaven.kms.operation.Authorization;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Validator;
import dev.keyhaven.kms.operation.port.AccessKeyRepository;
import dev.keyhaven.kms.operation.port.AccessKeyRepository.StoredAccessKey;
import dev.keyhaven.kms.operation.port.RandomSource;
import dev.keyhaven.kms.operation.port.SecretWrapping;
import dev.keyhaven.kms.operation.port.XksKeyStoreRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * What the key store administration operations share: who may call them — the account root, or a
 * principal whose identity policy allows {@code keyhaven:<Operation>} — finding a store by name,
 * and issuing a store's SigV4 credential: an access key of the store's principal, its secret (44
 * characters of Base64, 256 bits, as the XKS proxy API asks) returned once and kept only wrapped.
 */
@ApplicationScoped
public class XksAdmin {
  /** A credential as returned once, at creation. */
  public record Credential(String accessKeyId, String secretAccessKey) {}

  private final Authorization authorization;
  private final XksKeyStoreRepository stores;
  private final AccessKeyRepository accessKeys;
  private final RandomSource random;
  private final SecretWrapping secrets;

  XksAdmin(
      Authorization authorization,
      XksKeyStoreRepository stores,
      AccessKeyRepository accessKeys,
      RandomSource random,
      SecretWrapping secrets) {
    this.authorization = authorization;
    this.stores = stores;
    this.accessKeys = accessKeys;
    this.random = random;
    this.secrets = secrets;
  }

  /** Root, or an identity policy allowing the action (no key: IAM alone governs). */
  public Uni<Void> require(RequestContext context, KmsAction action) {
    if (context.accountRoot().equals(context.caller().principalArn())) {
      return Uni.createFrom().voidItem();
    }
    return authorization.require(context, action, null, Conditions.none());
  }

  /** Checks a key store name member ({@code member}: its wire name). */
  public static void validateName(String member, String name) {
    new Validator()
        .required(member, name)
        .pattern(member, name, XksKeyStore.NAME, XksKeyStore.NAME.pattern())
        .check();
  }

  /** The caller's account's store {@code name}, or NotFoundException. */
  public Uni<XksKeyStore> named(RequestContext context, String name) {
    return stores
        .byName(context.accountId(), name)
        .map(found -> found.orElseThrow(() -> notFound(context, name)));
  }

  /**
   * Locks {@code store} to the end of the current transaction (shared: a key is added to it;
   * exclusive: it is deleted), or NotFoundException when a concurrent deletion won.
   */
  public Uni<Void> lock(RequestContext context, XksKeyStore store, boolean exclusive) {
    return stores
        .lock(store.storeId(), exclusive)
        .invoke(
            exists -> {
              if (!exists) {
                throw notFound(context, store.name());
              }
            })
        .replaceWithVoid();
  }

  private static KmsException notFound(RequestContext context, String name) {
    return new KmsException(
        ErrorCode.NOT_FOUND,
        "External key store '" + name + "' does not exist in account " + context.accountId() + ".");
  }

  /** A new credential of {@code store}, stored (wrapped) in the current transaction. */
  public Uni<Credential> issue(RequestContext context, XksKeyStore store) {
    String accessKeyId = CreateAccessKey.newAccessKeyId(random);
    String secret = Base64.getEncoder().encodeToString(random.randomBytes(32));
    SecretBytes secretBytes = SecretBytes.adopt(secret.getBytes(StandardCharsets.US_ASCII));
    byte[] wrapped;
    try {
      wrapped =
          secrets.wrapSecret(
              StoredAccessKey.purpose(accessKeyId, store.accountId(), store.principalArn()),
              secretBytes);
    } finally {
      secretBytes.wipe();
    }
    return accessKeys
        .insert(
            new StoredAccessKey(
                accessKeyId,
                store.accountId(),
                store.principalArn(),
                wrapped,
                context.receivedAt()))
        .replaceWith(new Credential(accessKeyId, secret));
  }

  /** The store's credentials, oldest first. */
  public Uni<List<StoredAccessKey>> credentials(XksKeyStore store) {
    return accessKeys
        .list(store.accountId(), store.principalArn())
        .map(
            keys ->
                keys.stream()
                    .sorted(
                        java.util.Comparator.comparing(StoredAccessKey::createDate)
                            .thenComparing(StoredAccessKey::accessKeyId))
                    .toList());
  }

  /** Deletes the given credentials of the store. */
  public Uni<Void> revoke(List<StoredAccessKey> credentials) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (StoredAccessKey key : credentials) {
      chain = chain.chain(() -> accessKeys.delete(key.accessKeyId())).replaceWithVoid();
    }
    return chain;
  }
}
