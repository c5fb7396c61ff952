package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyMetadata;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** AWS KMS DescribeKey: the key's metadata, in every key state; accepts aliases. */
@Action(KmsAction.DESCRIBE_KEY)
@ApplicationScoped
public class DescribeKey implements KmsOperation<DescribeKey.Request, DescribeKey.Response> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.GrantTokens List<String> grantTokens) {}

  public record Response(KeyMetadata keyMetadata) {}

  private final KeyResolver resolver;

  DescribeKey(KeyResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return resolver
        .resolve(context, KmsAction.DESCRIBE_KEY, request.keyId(), true, Conditions.none())
        .map(key -> new Response(KeyMetadata.of(key)));
  }
}
