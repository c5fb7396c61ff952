package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.XksKeyStoreRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keyhaven extension {@code KeyhavenAdmin.DeleteXksKeyStore}: deletes a key store that has no keys
 * left (as AWS KMS's DeleteCustomKeyStore requires; schedule the keys' deletion and wait for it)
 * and revokes its credentials in the same transaction. A CreateXksKey on the same store runs wholly
 * before it (ConflictException: the store has a key now) or after it (NotFoundException).
 */
@Action(KmsAction.DELETE_XKS_KEY_STORE)
@ApplicationScoped
public class DeleteXksKeyStore implements KmsOperation<DeleteXksKeyStore.Request, NoResult> {
  public record Request(String name) {}

  private final XksAdmin admin;
  private final XksKeyStoreRepository stores;

  DeleteXksKeyStore(XksAdmin admin, XksKeyStoreRepository stores) {
    this.admin = admin;
    this.stores = stores;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    XksAdmin.validateName("name", request.name());
    return admin
        .require(context, KmsAction.DELETE_XKS_KEY_STORE)
        .chain(() -> admin.named(context, request.name()))
        .call(store -> admin.lock(context, store, true))
        .chain(
            store ->
                stores
                    .delete(store.storeId())
                    .invoke(
                        deleted -> {
                          if (!deleted) {
                            throw new KmsException(
                                ErrorCode.CONFLICT,
                                "External key store '"
                                    + request.name()
                                    + "' still has keys;"
                                    + " delete them first.");
                          }
                        })
                    .chain(() -> admin.credentials(store))
                    .chain(admin::revoke))
        .replaceWith(NoResult.INSTANCE);
  }
}
