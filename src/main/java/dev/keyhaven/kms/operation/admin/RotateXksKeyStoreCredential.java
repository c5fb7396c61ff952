package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AccessKeyRepository.StoredAccessKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Keyhaven extension {@code KeyhavenAdmin.RotateXksKeyStoreCredential}: a new SigV4 credential for
 * a key store. As the XKS proxy API recommends (spec, "SigV4 credentials rotation"), the previous
 * credential stays valid until AWS KMS has been given the new one (UpdateCustomKeyStore): a store
 * keeps at most two, so a rotation revokes all but the newest previous one — or every previous one
 * with {@code "RevokePrevious": true} (a credential that leaked).
 */
@Action(KmsAction.ROTATE_XKS_KEY_STORE_CREDENTIAL)
@ApplicationScoped
public class RotateXksKeyStoreCredential
    implements KmsOperation<
        RotateXksKeyStoreCredential.Request, RotateXksKeyStoreCredential.Response> {
  public record Request(String name, Boolean revokePrevious) {}

  public record Response(
      String accessKeyId, String secretAccessKey, List<String> previousAccessKeyIds) {}

  private final XksAdmin admin;

  RotateXksKeyStoreCredential(XksAdmin admin) {
    this.admin = admin;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    XksAdmin.validateName("name", request.name());
    boolean revokeAll = Boolean.TRUE.equals(request.revokePrevious());
    return admin
        .require(context, KmsAction.ROTATE_XKS_KEY_STORE_CREDENTIAL)
        .chain(() -> admin.named(context, request.name()))
        .chain(
            store ->
                admin
                    .credentials(store)
                    .chain(
                        existing -> {
                          int keep = revokeAll ? 0 : Math.min(1, existing.size());
                          List<StoredAccessKey> revoked =
                              existing.subList(0, existing.size() - keep);
                          List<String> kept =
                              existing.subList(existing.size() - keep, existing.size()).stream()
                                  .map(StoredAccessKey::accessKeyId)
                                  .toList();
                          return admin
                              .revoke(revoked)
                              .chain(() -> admin.issue(context, store))
                              .map(
                                  credential ->
                                      new Response(
                                          credential.accessKeyId(),
                                          credential.secretAccessKey(),
                                          kept));
                        }));
  }
}
