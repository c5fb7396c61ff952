package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.xks.XksKeyStore;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AccessKeyRepository.StoredAccessKey;
import dev.keyhaven.kms.operation.port.XksKeyStoreRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyhaven extension {@code KeyhavenAdmin.ListXksKeyStores}: the caller's account's external key
 * stores by name, each with its URI prefix, principal and credential ids (never a secret).
 */
@Action(KmsAction.LIST_XKS_KEY_STORES)
@ApplicationScoped
public class ListXksKeyStores
    implements KmsOperation<ListXksKeyStores.Request, ListXksKeyStores.Response> {
  public record Request() {}

  public record KeyStore(
      String name,
      String uriPrefix,
      String xksProxyUriPath,
      String principalArn,
      List<String> accessKeyIds,
      Instant creationDate) {}

  public record Response(List<KeyStore> keyStores) {}

  private final XksAdmin admin;
  private final XksKeyStoreRepository stores;

  ListXksKeyStores(XksAdmin admin, XksKeyStoreRepository stores) {
    this.admin = admin;
    this.stores = stores;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return admin
        .require(context, KmsAction.LIST_XKS_KEY_STORES)
        .chain(() -> stores.list(context.accountId()))
        .chain(this::described)
        .map(Response::new);
  }

  private Uni<List<KeyStore>> described(List<XksKeyStore> found) {
    Uni<List<KeyStore>> out = Uni.createFrom().item(new ArrayList<>());
    for (XksKeyStore store : found) {
      out =
          out.chain(
              list ->
                  admin
                      .credentials(store)
                      .map(
                          keys -> {
                            list.add(
                                new KeyStore(
                                    store.name(),
                                    store.uriPrefix(),
                                    store.uriPrefix() + CreateXksKeyStore.API_PATH,
                                    store.principalArn(),
                                    keys.stream().map(StoredAccessKey::accessKeyId).toList(),
                                    store.creationDate()));
                            return list;
                          }));
    }
    return out;
  }
}
