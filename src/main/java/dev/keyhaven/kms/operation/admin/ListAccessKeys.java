package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AccessKeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Keyhaven extension {@code KeyhavenAdmin.ListAccessKeys}: the caller's account's access keys,
 * optionally of one principal (account root only). Never returns secrets.
 */
@Action(KmsAction.LIST_ACCESS_KEYS)
@ApplicationScoped
public class ListAccessKeys
    implements KmsOperation<ListAccessKeys.Request, ListAccessKeys.Response> {

  public record Request(@Member.Length(min = 1, max = 2048) String principalArn) {}

  public record AccessKeyMetadata(String accessKeyId, String principalArn, Instant createDate) {}

  public record Response(List<AccessKeyMetadata> accessKeys) {}

  private final AccessKeyRepository accessKeys;

  ListAccessKeys(AccessKeyRepository accessKeys) {
    this.accessKeys = accessKeys;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    if (request.principalArn() != null) {
      AccountRoot.requireCallerIsRootOf(
          context, KmsAction.LIST_ACCESS_KEYS, request.principalArn());
    } else {
      AccountRoot.requireCallerIsRoot(context, KmsAction.LIST_ACCESS_KEYS, "*");
    }
    return accessKeys
        .list(context.accountId(), request.principalArn())
        .map(
            keys ->
                new Response(
                    keys.stream()
                        .map(
                            k ->
                                new AccessKeyMetadata(
                                    k.accessKeyId(), k.principalArn(), k.createDate()))
                        .toList()));
  }
}
