package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.xks.XksKeyStore;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.XksKeyStoreRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Keyhaven extension {@code KeyhavenAdmin.CreateXksKeyStore}: a logical external key store of the
 * caller's account, its URI prefix and its first SigV4 credential — what AWS KMS's
 * CreateCustomKeyStore takes as XksProxyUriPath ({@code XksProxyUriPath}, the prefix followed by
 * {@code /kms/xks/v1}) and XksProxyAuthenticationCredential. The secret is returned this once. At
 * most 10 stores per account (AWS's quota; LimitExceededException).
 */
@Action(KmsAction.CREATE_XKS_KEY_STORE)
@ApplicationScoped
public class CreateXksKeyStore
    implements KmsOperation<CreateXksKeyStore.Request, CreateXksKeyStore.Response> {
  public record Request(String name) {}

  public record Response(
      String name,
      String uriPrefix,
      String xksProxyUriPath,
      String accessKeyId,
      String secretAccessKey) {}

  static final String API_PATH = "/kms/xks/v1";

  /** AWS KMS quotas, "Custom key stores" per account and Region (LimitExceededException). */
  static final int MAX_STORES_PER_ACCOUNT = 10;

  private final XksAdmin admin;
  private final XksKeyStoreRepository stores;

  CreateXksKeyStore(XksAdmin admin, XksKeyStoreRepository stores) {
    this.admin = admin;
    this.stores = stores;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    XksAdmin.validateName("name", request.name());
    XksKeyStore store =
        new XksKeyStore(
            UUID.randomUUID(),
            context.accountId(),
            request.name(),
            XksKeyStore.principalArn(context.partition(), context.accountId(), request.name()),
            context.receivedAt());
    // The name check, the count and the insert run under the account's lock, held to the end of
    // the transaction: concurrent creations can neither pass the quota together nor collide on
    // the name.
    return admin
        .require(context, KmsAction.CREATE_XKS_KEY_STORE)
        .chain(() -> stores.lockAccount(context.accountId()))
        .chain(() -> stores.byName(context.accountId(), request.name()))
        .invoke(
            existing -> {
              if (existing.isPresent()) {
                throw new KmsException(
                    ErrorCode.ALREADY_EXISTS,
                    "External key store '" + request.name() + "' already exists.");
              }
            })
        .chain(() -> stores.list(context.accountId()))
        .invoke(
            existing -> {
              // AWS KMS quotas, "Custom key stores": 10 per account and Region.
              if (existing.size() >= MAX_STORES_PER_ACCOUNT) {
                throw new KmsException(
                    ErrorCode.LIMIT_EXCEEDED,
                    "Cannot exceed quota for CustomKeyStoresPerAccount: " + MAX_STORES_PER_ACCOUNT);
              }
            })
        .chain(() -> stores.insert(store))
        .chain(() -> admin.issue(context, store))
        .map(
            credential ->
                new Response(
                    store.name(),
                    store.uriPrefix(),
                    store.uriPrefix() + API_PATH,
                    credential.accessKeyId(),
                    credential.secretAccessKey()));
  }
}
