package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Validator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** AWS KMS UntagResource: removes tags by key; a tag key the key does not have is ignored. */
@Action(KmsAction.UNTAG_RESOURCE)
@ApplicationScoped
public class UntagResource implements KmsOperation<UntagResource.Request, NoResult> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId, @Member.Required List<String> tagKeys) {}

  private final KeyUpdates updates;

  UntagResource(KeyUpdates updates) {
    this.updates = updates;
  }

  /** Each tag key: present, 1 to 128 characters. */
  @Override
  public void validate(Request request, Validator errors) {
    if (request.tagKeys() != null) {
      request
          .tagKeys()
          .forEach(k -> errors.required("tagKeys.member", k).length("tagKeys.member", k, 1, 128));
    }
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    return updates.change(
        context,
        KmsAction.UNTAG_RESOURCE,
        request.keyId(),
        Conditions.none().withAll("aws:TagKeys", request.tagKeys()),
        key -> {
          Map<String, String> remaining = new LinkedHashMap<>(key.tags());
          request.tagKeys().forEach(remaining::remove);
          return remaining.size() == key.tags().size() ? key : key.withTags(remaining);
        });
  }
}
