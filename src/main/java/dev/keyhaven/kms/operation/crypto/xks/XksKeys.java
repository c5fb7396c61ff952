package dev.keyhaven.kms.operation.crypto.xks;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.xks.XksKeyStore;
import dev.keyhaven.kms.domain.xks.XksKeyUsage;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.XksKeyStoreRepository;
import dev.keyhaven.kms.operation.port.XksKeyStoreRepository.XksKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What every XKS call does before its own work: find the key store its URI prefix names and check
 * that the store's credential signed it; for a key, find the store's key, then resolve it through
 * {@link KeyResolver} — key state and the key policy, with the request metadata as condition keys —
 * and check its XKS key usage.
 */
@ApplicationScoped
public class XksKeys {
  /** externalKeyId: up to 128 of A-Z a-z 0-9 - . _ (spec, "API operations"). */
  private static final Pattern EXTERNAL_KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** A key resolved for an XKS call. */
  public record Resolved(XksKeyStore store, XksKey xksKey, KmsKey key) {}

  private final XksKeyStoreRepository stores;
  private final KeyResolver resolver;

  XksKeys(XksKeyStoreRepository stores, KeyResolver resolver) {
    this.stores = stores;
    this.resolver = resolver;
  }

  /**
   * The store at {@code uriPrefix}, whose credential must have signed the request. A prefix with no
   * store and another store's credential get the same answer, so a credential learns nothing about
   * other stores.
   */
  public Uni<XksKeyStore> store(RequestContext context, String uriPrefix) {
    return stores
        .byUriPrefix(uriPrefix)
        .map(
            found ->
                found
                    .filter(s -> s.principalArn().equals(context.caller().principalArn()))
                    .orElseThrow(
                        () ->
                            new KmsException(
                                ErrorCode.XKS_AUTHENTICATION_FAILED,
                                "The request signature is not from this key store's credential.")));
  }

  /**
   * The store's key {@code externalKeyId}, authorized for {@code action} and in a state it allows;
   * {@code usage} (if not null) must be among the key's XKS usages.
   */
  public Uni<Resolved> resolve(
      RequestContext context,
      KmsAction action,
      String uriPrefix,
      String externalKeyId,
      RequestMetadata metadata,
      XksKeyUsage usage) {
    return store(context, uriPrefix)
        .chain(
            store -> {
              RequestMetadata.require(metadata, action == KmsAction.XKS_GET_KEY_METADATA);
              UUID keyId = keyId(externalKeyId);
              return stores
                  .key(keyId)
                  .map(
                      found ->
                          found
                              .filter(k -> k.storeId().equals(store.storeId()))
                              .orElseThrow(() -> notFound(externalKeyId)))
                  .chain(
                      xksKey ->
                          resolver
                              .resolve(
                                  context,
                                  action,
                                  new KeyReference.ById(keyId.toString(), keyId),
                                  false,
                                  metadata.conditions())
                              .map(key -> key.requireStateFor(action))
                              .onFailure(KmsException.class)
                              .transform(XksKeys::xksState)
                              .map(key -> new Resolved(store, xksKey, key)));
            })
        .invoke(
            resolved -> {
              if (usage != null && !resolved.xksKey().usage().contains(usage)) {
                throw new KmsException(
                    ErrorCode.INVALID_KEY_USAGE,
                    "The external key " + externalKeyId + " does not support " + usage + ".");
              }
            });
  }

  /** Key ids are Keyhaven key ids; any other well-formed id names no key of the store. */
  private static UUID keyId(String externalKeyId) {
    if (externalKeyId == null || !EXTERNAL_KEY_ID.matcher(externalKeyId).matches()) {
      throw new KmsException(ErrorCode.XKS_INVALID_URI_PATH, "The external key id is not valid.");
    }
    try {
      UUID id = UUID.fromString(externalKeyId);
      if (id.toString().equals(externalKeyId.toLowerCase(java.util.Locale.ROOT))) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // not a key id: no such key
    }
    throw notFound(externalKeyId);
  }

  private static KmsException notFound(String externalKeyId) {
    return new KmsException(
        ErrorCode.XKS_KEY_NOT_FOUND, "The external key " + externalKeyId + " is not found.");
  }

  /** Disabled, pending deletion or pending import: the spec's InvalidStateException. */
  private static Throwable xksState(Throwable failure) {
    KmsException e = (KmsException) failure;
    return switch (e.code()) {
      case DISABLED, KMS_INVALID_STATE ->
          new KmsException(ErrorCode.XKS_INVALID_STATE, e.getMessage());
      case NOT_FOUND -> new KmsException(ErrorCode.XKS_KEY_NOT_FOUND, e.getMessage());
      default -> e;
    };
  }
}
