package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyArn;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.xks.XksKeyUsage;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.XksKeyStoreRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Keyhaven extension {@code KeyhavenAdmin.ListXksKeys}: a key store's keys and their XKS usage. */
@Action(KmsAction.LIST_XKS_KEYS)
@ApplicationScoped
public class ListXksKeys implements KmsOperation<ListXksKeys.Request, ListXksKeys.Response> {
  public record Request(String keyStoreName) {}

  public record Key(String keyId, String keyArn, List<String> keyUsage) {}

  public record Response(List<Key> keys) {}

  private final XksAdmin admin;
  private final XksKeyStoreRepository stores;

  ListXksKeys(XksAdmin admin, XksKeyStoreRepository stores) {
    this.admin = admin;
    this.stores = stores;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    XksAdmin.validateName("keyStoreName", request.keyStoreName());
    return admin
        .require(context, KmsAction.LIST_XKS_KEYS)
        .chain(() -> admin.named(context, request.keyStoreName()))
        .chain(store -> stores.keys(store.storeId()))
        .map(
            keys ->
                new Response(
                    keys.stream()
                        .map(
                            k ->
                                new Key(
                                    k.keyId().toString(),
                                    new KeyArn(
                                            context.partition(),
                                            context.region(),
                                            context.accountId(),
                                            k.keyId())
                                        .toString(),
                                    XksKeyUsage.wire(k.usage())))
                        .toList()));
  }
}
