package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AccessKeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keyhaven extension {@code KeyhavenAdmin.DeleteAccessKey} (account root only). Requests signed
 * with the key fail from the next request on, on every instance (a cached access key row is used
 * only while its version holds: docs/key-hierarchy.md).
 */
@Action(KmsAction.DELETE_ACCESS_KEY)
@ApplicationScoped
public class DeleteAccessKey implements KmsOperation<DeleteAccessKey.Request, NoResult> {

  public record Request(@Member.Required @Member.Length(min = 16, max = 128) String accessKeyId) {}

  private final AccessKeyRepository accessKeys;

  DeleteAccessKey(AccessKeyRepository accessKeys) {
    this.accessKeys = accessKeys;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    AccountRoot.requireCallerIsRoot(context, KmsAction.DELETE_ACCESS_KEY, request.accessKeyId());
    return accessKeys
        .find(request.accessKeyId())
        .map(
            found ->
                found
                    .filter(k -> k.accountId().equals(context.accountId()))
                    .orElseThrow(
                        () ->
                            KmsException.notFound(
                                "The Access Key with id "
                                    + request.accessKeyId()
                                    + " cannot be found.")))
        .chain(k -> accessKeys.delete(k.accessKeyId()))
        .replaceWith(NoResult.INSTANCE);
  }
}
