package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.xks.XksKeyStore;
import dev.keyhaven.kms.operation.port.XksKeyStoreRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Keyhaven extension {@code KeyhavenAdmin.CreateXksKeyStore}: a logical external key store of the
 * caller's account, its URI prefix and its first SigV4 credential — what AWS KMS's
 * CreateCustomKeyStore takes as XksProxyUriPath ({@code XksProxyUriPath}, the prefix followed by
 * {@code /kms/xks/v1}) and XksProxyAuthenticationCredential. The secret is returned this once.
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
    return admin
        .require(context, KmsAction.CREATE_XKS_KEY_STORE)
        .chain(() -> stores.byName(context.accountId(), request.name()))
        .invoke(
            existing -> {
              if (existing.isPresent()) {
                throw new KmsException(
                    ErrorCode.ALREADY_EXISTS,
                    "External key store '" + request.name() + "' already exists.");
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
